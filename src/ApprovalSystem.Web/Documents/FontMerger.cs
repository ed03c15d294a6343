using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ApprovalSystem.Web.Documents;

/// <summary>
/// Makes the unhinted Identity-H fonts of a PDF one font (docs/decisions/0018): the glyphs the pages show, from every
/// face (the reduced main face and the block faces of rare characters), in one TrueType program built by
/// <see cref="TrueTypeMerger"/>, numbered 1..n in the order of their text so that CID = glyph id (/CIDToGIDMap
/// /Identity, no map stream) and the text-layer map is short. The content streams are rewritten to name that font and
/// show the new CIDs; /W and /ToUnicode follow. A document with a rare character then carries one font, not five.
/// </summary>
internal static partial class FontMerger
{
    private const int DefaultWidth = 1000;
    private const int BlockEntries = 100; // the most entries a bfchar or bfrange block may hold

    /// <summary>Merges the fonts whose descendant CIDFontType2 objects are <paramref name="cidFonts"/>; false (the file
    /// untouched) when one of them or a content stream is not as PDFsharp writes it.</summary>
    public static bool TryMerge(RawPdf file, IReadOnlySet<int> cidFonts)
    {
        Action? apply;
        try
        {
            apply = Plan(file, cidFonts);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or IndexOutOfRangeException or FormatException or OverflowException)
        {
            apply = null;
        }

        apply?.Invoke();
        return apply is not null;
    }

    /// <summary>What merging changes, worked out without changing anything (it may throw); null when a font does not qualify.</summary>
    private static Action? Plan(RawPdf file, IReadOnlySet<int> cidFonts)
    {
        var sources = new List<Source>();
        foreach (var type0 in file.Objects.Where(o => o.Dictionary?.Get("/Subtype") == "/Type0").ToList())
        {
            var descendants = type0.Dictionary!.Get("/DescendantFonts")?.Trim('[', ']');
            if (file.Resolve(descendants) is { Dictionary: { } cid } cidFont && cidFonts.Contains(cidFont.Number))
            {
                if (type0.Dictionary.Get("/Encoding") != "/Identity-H" || cid.Get("/CIDToGIDMap") is not (null or "/Identity")
                    || file.Resolve(cid.Get("/FontDescriptor")) is not { Dictionary: { } d } descriptor
                    || file.Resolve(d.Get("/FontFile2")) is not { Content: { } fontProgram } fontFile
                    || file.Resolve(type0.Dictionary.Get("/ToUnicode")) is not { Content: { } unicodeMap } toUnicode)
                {
                    return null;
                }

                sources.Add(new Source(type0, cidFont, descriptor, fontFile, toUnicode, fontProgram, cid.Get("/W") is { } w ? FontCompactor.Widths(w) : [],
                    cid.Integer("/DW") ?? DefaultWidth, ReadToUnicode(Encoding.Latin1.GetString(unicodeMap.Span))));
            }
        }

        if (sources.Count != cidFonts.Count)
        {
            return null;
        }

        // Every page's font names and the strings its content shows in each source.
        var byNumber = sources.Select((s, i) => (s, i)).ToDictionary(p => p.s.Type0.Number, p => p.i);
        var pages = new List<Page>();
        var used = new HashSet<(int Source, int Code)>();
        var seenContents = new HashSet<int>();
        foreach (var page in file.Objects.Where(o => o.Dictionary?.Get("/Type") == "/Page"))
        {
            var resources = Inline(file, page.Dictionary!, "/Resources");
            if (resources.Dictionary.Get("/Font") is null)
            {
                continue; // no text on this page
            }

            var fonts = Inline(file, resources.Dictionary, "/Font");
            var names = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var (name, value) in fonts.Dictionary.Entries.ToList())
            {
                if (file.Resolve(value) is { } font && byNumber.TryGetValue(font.Number, out var index))
                {
                    names[name] = index;
                }
            }

            var contents = new List<(RawObject Stream, List<ContentPiece> Pieces)>();
            foreach (var reference in References(page.Dictionary!.Get("/Contents")))
            {
                if (file.Resolve(reference) is { Content: { } content } stream && seenContents.Add(stream.Number))
                {
                    var pieces = ContentText.Read(content.Span);
                    foreach (var piece in pieces.Where(p => !p.IsFontName && names.ContainsKey(p.Font)))
                    {
                        if (piece.Codes is null)
                        {
                            throw new InvalidDataException("A literal string shown in an Identity-H font.");
                        }

                        used.UnionWith(piece.Codes.Select(c => (names[piece.Font], (int)c)));
                    }

                    contents.Add((stream, pieces));
                }
            }

            pages.Add(new Page(resources, fonts, names, contents));
        }

        // New CIDs 1..n in the order of the glyphs' text; the font that shows the most glyphs is kept and receives them all.
        var order = used.OrderBy(g => sources[g.Source].Text.GetValueOrDefault(g.Code, "\uFFFF"), StringComparer.Ordinal)
            .ThenBy(g => g.Source).ThenBy(g => g.Code).ToList();
        var newCids = order.Select((g, i) => (g, i + 1)).ToDictionary(p => p.g, p => p.Item2);
        var target = Enumerable.Range(0, sources.Count).MaxBy(s => (used.Count(g => g.Source == s), -s));
        var faces = new[] { target }.Concat(Enumerable.Range(0, sources.Count).Where(s => s != target)).ToList();
        var program = TrueTypeMerger.Merge([.. faces.Select(s => sources[s].Program)], [.. order.Select(g => (faces.IndexOf(g.Source), g.Code))]);
        var kept = sources[target];
        var keptDefault = kept.CidFont.Dictionary!.Integer("/DW") ?? DefaultWidth;
        var widths = new SortedDictionary<int, int>(
            order.ToDictionary(g => newCids[g], g => sources[g.Source].Widths.GetValueOrDefault(g.Code, sources[g.Source].DefaultWidth)));
        var cmap = ToUnicodeMap(order.Select(g => sources[g.Source].Text.GetValueOrDefault(g.Code)).ToList());
        var box = sources.Select(s => Numbers(s.Descriptor.Dictionary!.Get("/FontBBox"))).ToList();

        // Each page names the kept font (under its own name, or /FM if it had none) and no other merged font.
        var changes = new List<Action>();
        foreach (var page in pages.Where(p => p.Names.Count > 0))
        {
            var keptName = page.Names.FirstOrDefault(n => n.Value == target).Key ?? "/FM";
            foreach (var (stream, pieces) in page.Contents)
            {
                var rewritten = ContentText.Rewrite(stream.Content!.Value.Span, pieces, p => !page.Names.TryGetValue(p.Font, out var s) ? null
                    : p.IsFontName ? keptName : ContentText.Hex(p.Codes!.Select(c => newCids[(s, c)])));
                changes.Add(() => stream.SetContent(rewritten));
            }

            changes.Add(() =>
            {
                foreach (var name in page.Names.Keys)
                {
                    page.Fonts.Dictionary.Remove(name);
                }

                page.Fonts.Dictionary.Set(keptName, $"{kept.Type0.Number} 0 R");
                page.Fonts.Store();
                page.Resources.Store();
            });
        }

        return () =>
        {
            changes.ForEach(c => c());
            kept.FontFile.SetContent(program);
            kept.FontFile.Dictionary!.Set("/Length1", program.Length.ToString(CultureInfo.InvariantCulture));
            kept.CidFont.Dictionary!.Set("/CIDToGIDMap", "/Identity");
            kept.CidFont.Dictionary.Set("/W", FontCompactor.WidthArray(widths, keptDefault));
            kept.ToUnicode.SetContent(Encoding.ASCII.GetBytes(cmap));
            if (box.All(b => b.Length == 4))
            {
                kept.Descriptor.Dictionary!.Set("/FontBBox", string.Create(CultureInfo.InvariantCulture,
                    $"[{box.Min(b => b[0])} {box.Min(b => b[1])} {box.Max(b => b[2])} {box.Max(b => b[3])}]"));
            }

            foreach (var source in sources.Where(s => s != kept))
            {
                foreach (var o in new[] { source.Type0, source.CidFont, source.Descriptor, source.FontFile, source.ToUnicode }.Distinct())
                {
                    file.Remove(o);
                }
            }
        };
    }

    /// <summary>The CMap of a /ToUnicode stream: <paramref name="texts"/>[i] is the text of CID i + 1 (null: none). Each run of
    /// CIDs with a text within one 256-block is one bfrange entry with an array of the texts in UTF-16 (<c>&lt;0001&gt;&lt;0003&gt;[&lt;0030&gt;…]</c>):
    /// the CIDs are 1..n in the order of their text, so most runs are long, and an entry costs 6 characters instead of a
    /// bfchar entry's 13 (a third of the compressed map).</summary>
    internal static string ToUnicodeMap(IReadOnlyList<string?> texts)
    {
        var runs = new List<(int First, int Last)>();
        for (var i = 0; i < texts.Count; i++)
        {
            var cid = i + 1;
            if (texts[i] is not { Length: > 0 })
            {
                continue;
            }

            if (runs.Count > 0 && runs[^1].Last == cid - 1 && (cid & 0xFF) != 0)
            {
                runs[^1] = (runs[^1].First, cid);
            }
            else
            {
                runs.Add((cid, cid));
            }
        }

        var map = new StringBuilder("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n")
            .Append("/CIDSystemInfo << /Registry (Adobe)/Ordering (UCS)/Supplement 0>> def\n/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n")
            .Append("1 begincodespacerange\n<0000><FFFF>\nendcodespacerange\n");
        foreach (var block in runs.Chunk(BlockEntries))
        {
            map.Append(CultureInfo.InvariantCulture, $"{block.Length} beginbfrange\n");
            foreach (var (first, last) in block)
            {
                map.Append(CultureInfo.InvariantCulture, $"<{first:X4}><{last:X4}>[");
                for (var cid = first; cid <= last; cid++)
                {
                    map.Append(ContentText.Hex(texts[cid - 1]!.Select(c => (int)c)));
                }

                map.Append("]\n");
            }

            map.Append("endbfrange\n");
        }

        return map.Append("endcmap CMapName currentdict /CMap defineresource pop end end\n").ToString();
    }

    /// <summary>The text of each code in a /ToUnicode CMap, from bfchar and bfrange entries. A destination of five or six
    /// digits is a bare code point beyond the BMP (as PDFsharp 6.5 writes them, see <see cref="ToUnicodeRepair"/>); one of
    /// four digits or a multiple of four is UTF-16.</summary>
    internal static Dictionary<int, string> ReadToUnicode(string cmap) => TryReadPlain(cmap) ?? ReadAnyToUnicode(cmap);

    /// <summary><see cref="ReadToUnicode"/> by regular expressions, for any text: entries are found wherever they are.</summary>
    private static Dictionary<int, string> ReadAnyToUnicode(string cmap)
    {
        var texts = new Dictionary<int, string>();
        foreach (Match block in Block().Matches(cmap))
        {
            var body = block.Groups["body"].Value;
            if (block.Groups["kind"].Value == "char")
            {
                foreach (Match e in CharEntry().Matches(body))
                {
                    texts[Hex(e.Groups["code"].Value)] = Text(e.Groups["dest"].Value, 0);
                }

                continue;
            }

            foreach (Match e in RangeEntry().Matches(body))
            {
                var (first, last) = (Hex(e.Groups["first"].Value), Hex(e.Groups["last"].Value));
                var list = e.Groups["list"].Success ? ListEntry().Matches(e.Groups["list"].Value).Select(m => m.Groups[1].Value).ToList() : null;
                for (var code = first; code <= last; code++)
                {
                    texts[code] = list is null ? Text(e.Groups["dest"].Value, code - first) : Text(list[code - first], 0);
                }
            }
        }

        return texts;
    }

    /// <summary><see cref="ReadToUnicode"/> of a CMap as PDFsharp and this class write one, read in one pass: every bfchar and
    /// bfrange block holds entries and white space only. Null for anything else (then the regular expressions read it, with
    /// the same result for such a CMap: the same entries in the same order). A text's CMap holds hundreds of entries; the
    /// expressions' matches and groups were most of reading it.</summary>
    private static Dictionary<int, string>? TryReadPlain(string cmap)
    {
        var texts = new Dictionary<int, string>();
        for (var at = 0; ;)
        {
            var begin = cmap.IndexOf("beginbf", at, StringComparison.Ordinal);
            if (begin < 0)
            {
                return texts;
            }

            var kind = string.CompareOrdinal(cmap, begin + 7, "range", 0, 5) == 0 ? "range"
                : string.CompareOrdinal(cmap, begin + 7, "char", 0, 4) == 0 ? "char" : null;
            if (kind is null)
            {
                at = begin + 1;
                continue;
            }

            var end = cmap.IndexOf("endbf" + kind, begin + 7 + kind.Length, StringComparison.Ordinal);
            if (end < 0)
            {
                return null;
            }

            var p = begin + 7 + kind.Length;
            while (true)
            {
                p = SkipSpace(cmap, p, end);
                if (p == end)
                {
                    break;
                }

                if (HexAt(cmap, ref p, end) is not { } first || HexAt(cmap, ref p, end) is not { } second)
                {
                    return null;
                }

                if (kind == "char")
                {
                    texts[Hex(first)] = Text(second, 0);
                    continue;
                }

                var (from, to) = (Hex(first), Hex(second));
                if (HexAt(cmap, ref p, end) is { } dest)
                {
                    for (var code = from; code <= to; code++)
                    {
                        texts[code] = Text(dest, code - from);
                    }

                    continue;
                }

                p = SkipSpace(cmap, p, end);
                if (p >= end || cmap[p] != '[')
                {
                    return null;
                }

                p++;
                var list = new List<string>();
                while (true)
                {
                    p = SkipSpace(cmap, p, end);
                    if (p < end && cmap[p] == ']')
                    {
                        p++;
                        break;
                    }

                    if (HexAt(cmap, ref p, end) is not { } item)
                    {
                        return null;
                    }

                    list.Add(item);
                }

                for (var code = from; code <= to; code++)
                {
                    texts[code] = Text(list[code - from], 0);
                }
            }

            at = end + 5 + kind.Length;
        }

        static int SkipSpace(string text, int p, int end)
        {
            while (p < end && text[p] is ' ' or '\n' or '\r' or '\t')
            {
                p++;
            }

            return p;
        }

        // <hex digits> after white space: the digits, p moved past it; null (p unchanged) when there is none.
        static string? HexAt(string text, ref int p, int end)
        {
            var q = SkipSpace(text, p, end);
            if (q >= end || text[q] != '<')
            {
                return null;
            }

            var digits = q + 1;
            while (digits < end && char.IsAsciiHexDigit(text[digits]))
            {
                digits++;
            }

            if (digits == q + 1 || digits >= end || text[digits] != '>')
            {
                return null;
            }

            p = digits + 1;
            return text[(q + 1)..digits];
        }
    }

    private static string Text(string hex, int increment)
    {
        if (hex.Length is 5 or 6)
        {
            return char.ConvertFromUtf32(Hex(hex) + increment);
        }

        if (hex.Length % 4 != 0 && hex.Length > 4)
        {
            throw new InvalidDataException($"A text-layer entry <{hex}> is neither UTF-16 nor a code point.");
        }

        var units = Enumerable.Range(0, Math.Max(1, hex.Length / 4)).Select(i => (char)Hex(hex.Substring(4 * i, Math.Min(4, hex.Length)))).ToArray();
        units[^1] = (char)(units[^1] + increment);
        return new string(units);
    }

    private static int Hex(string hex) => int.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static double[] Numbers(string? array) =>
        array is null ? []
            : [.. array.Trim('[', ']').Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(n => double.Parse(n, CultureInfo.InvariantCulture))];

    private static IEnumerable<string> References(string? value)
    {
        var parts = (value ?? "").Trim('[', ']').Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i + 2 < parts.Length; i += 3)
        {
            yield return $"{parts[i]} {parts[i + 1]} {parts[i + 2]}";
        }
    }

    /// <summary>A dictionary-valued entry, whether written in place or as a reference, with a way to store it back.</summary>
    private static Held Inline(RawPdf file, RawDictionary owner, string key)
    {
        var value = owner.Get(key) ?? throw new InvalidDataException($"No {key}.");
        if (file.Resolve(value) is { Dictionary: { } referenced })
        {
            return new Held(referenced, () => { });
        }

        var bytes = Encoding.Latin1.GetBytes(value);
        var dictionary = RawDictionary.Parse(bytes, 0, out _);
        return new Held(dictionary, () => owner.Set(key, dictionary.ToString()));
    }

    [GeneratedRegex(@"beginbf(?<kind>range|char)(?<body>.*?)endbf\k<kind>", RegexOptions.Singleline)]
    private static partial Regex Block();

    [GeneratedRegex(@"<(?<code>[0-9A-Fa-f]+)>\s*<(?<dest>[0-9A-Fa-f]+)>")]
    private static partial Regex CharEntry();

    [GeneratedRegex(@"<(?<first>[0-9A-Fa-f]+)>\s*<(?<last>[0-9A-Fa-f]+)>\s*(?:<(?<dest>[0-9A-Fa-f]+)>|\[(?<list>[^\]]*)\])")]
    private static partial Regex RangeEntry();

    [GeneratedRegex(@"<([0-9A-Fa-f]+)>")]
    private static partial Regex ListEntry();

    private sealed record Source(RawObject Type0, RawObject CidFont, RawObject Descriptor, RawObject FontFile, RawObject ToUnicode,
        ReadOnlyMemory<byte> Program, SortedDictionary<int, int> Widths, int DefaultWidth, Dictionary<int, string> Text);

    private sealed record Held(RawDictionary Dictionary, Action Store);

    private sealed record Page(Held Resources, Held Fonts, Dictionary<string, int> Names, List<(RawObject Stream, List<ContentPiece> Pieces)> Contents);
}
