using System.Globalization;
using System.Text;

namespace ApprovalSystem.Web.Documents;

/// <summary>
/// Finishes a PDF that PDFsharp saved uncompressed, so that it holds only what the document draws, compressed once
/// (docs/decisions/0016). PDFsharp's embedded "subset" keeps the used outlines but the whole face's glyph index: its
/// loca and hmtx tables cover every glyph of the face (13,561 in the reduced main face), with the face's hinting
/// programs. Here each embedded TrueType program (a CIDFontType2 with /CIDToGIDMap /Identity) is cut to the glyphs the
/// document uses, renumbered from 0 (<see cref="TrueTypeReducer.Subset"/>), without hinting unless asked (see
/// <see cref="Compact"/>); a /CIDToGIDMap stream sends each CID to its new glyph, so the content streams, the text
/// layer (/ToUnicode is keyed by CID) and the widths keep their CIDs. /W keeps only the widths other than the default
/// 1000; text-layer entries beyond the BMP are mended (<see cref="ToUnicodeRepair.Mend"/>); the XMP metadata (the
/// document information dictionary says the same) is dropped; every stream is compressed with zlib.
/// </summary>
public static class FontCompactor
{
    /// <summary>The zlib level: 4 is within 0.5 % of level 6's size (and 1 % of level 9's) in 80 % of level 6's time;
    /// levels 1–2 save another 0.1–0.3 ms a document for 3–20 % more bytes.</summary>
    public const int CompressionLevel = 4;

    /// <summary>The zlib level of the font programs: level 6 makes a 27 KB merged program 1.5 % (0.26 KB) smaller than level 4
    /// for about 0.1 ms; level 9 gains no more than 10 bytes.</summary>
    public const int FontCompressionLevel = 6;

    private const int DefaultWidth = 1000;
    private const int MapCompressionLevel = 2;

    /// <summary>Faces that need their TrueType instructions to assemble glyphs (FreeType's "tricky" fonts): kept hinted.</summary>
    private static readonly string[] TrickyFaces = ["MingLi", "MingMedium", "Ming(for", "DFKai", "DFMing", "DFHei", "DFGothic", "DLC", "HuaTian", "cpop"];

    /// <summary>The document with its fonts cut to the used glyphs and every stream compressed. Throws
    /// <see cref="InvalidDataException"/> for a file that is not laid out as PDFsharp writes one (see <see cref="RawPdf"/>).</summary>
    /// <param name="keepHinting">Keep the fonts' TrueType instructions: PDFium (Chromium) hints TrueType text on screen, which
    /// makes Latin letters and digits of a hinted face a little crisper at screen sizes; it costs about 3 KB a document
    /// (8 KB with rare characters, whose block faces each carry the face's hinting programs). Poppler draws unhinted.</param>
    public static byte[] Compact(ReadOnlyMemory<byte> pdf, bool keepHinting = false, int level = CompressionLevel)
    {
        var file = RawPdf.Parse(pdf);
        var cidFonts = file.Objects.Where(o => o.Dictionary?.Get("/Subtype") == "/CIDFontType2").ToList();
        var hinted = cidFonts.Where(f => keepHinting || IsTricky(f.Dictionary!.Get("/BaseFont"))).ToList();
        foreach (var font in hinted)
        {
            CompactFont(file, font.Dictionary!, keepHinting: true);
        }

        var unhinted = cidFonts.Except(hinted).ToList();
        if (unhinted.Count > 0 && !FontMerger.TryMerge(file, unhinted.Select(f => f.Number).ToHashSet()))
        {
            foreach (var font in unhinted)
            {
                CompactFont(file, font.Dictionary!, keepHinting: false);
            }
        }

        foreach (var map in file.Objects.Select(o => file.Resolve(o.Dictionary?.Get("/ToUnicode"))).OfType<RawObject>().Distinct().ToList())
        {
            if (map.Content is { } content && ToUnicodeRepair.MayNeedMending(content.Span))
            {
                var text = Encoding.ASCII.GetString(content.Span);
                var mended = ToUnicodeRepair.Mend(text);
                if (mended != text)
                {
                    map.SetContent(Encoding.ASCII.GetBytes(mended));
                }
            }
        }

        if (file.Resolve(file.Trailer.Get("/Root"))?.Dictionary is { } catalog && file.Resolve(catalog.Get("/Metadata")) is { } metadata)
        {
            catalog.Remove("/Metadata");
            file.Remove(metadata);
        }

        // The font programs are most of a document's bytes: compressed at a higher level (see FontCompressionLevel).
        var programs = file.Objects.Where(o => o.Dictionary?.Get("/Type") == "/FontDescriptor")
            .Select(d => file.Resolve(d.Dictionary!.Get("/FontFile2"))).OfType<RawObject>().Distinct()
            .ToDictionary(o => o, _ => Math.Max(level, FontCompressionLevel));
        return file.Write(level, programs);
    }

    /// <summary>Whether a font's name (a PDF name, with PDFsharp's random six-letter subset tag) is one of the tricky
    /// faces. Only the face's own name counts, compared as FreeType compares it (case-sensitively): the tag is random
    /// capitals and would otherwise make one document in a few thousand keep a plain face's hinting (e.g. "DLCBKK+").</summary>
    internal static bool IsTricky(string? baseFont)
    {
        var name = (baseFont ?? "").TrimStart('/');
        if (name.Length > 7 && name[6] == '+' && name[..6].All(char.IsAsciiLetterUpper))
        {
            name = name[7..];
        }

        return TrickyFaces.Any(f => name.Contains(f, StringComparison.Ordinal));
    }

    private static void CompactFont(RawPdf file, RawDictionary font, bool keepHinting)
    {
        if (font.Get("/CIDToGIDMap") is not (null or "/Identity") || file.Resolve(font.Get("/FontDescriptor"))?.Dictionary is not { } descriptor
            || file.Resolve(descriptor.Get("/FontFile2")) is not { Content: { } program } fontFile || font.Get("/W") is not { } w)
        {
            return;
        }

        var widths = Widths(w);
        var tricky = IsTricky(font.Get("/BaseFont"));
        (byte[] Font, Dictionary<int, int> NewIds) subset;
        try
        {
            // The CIDs drawn (each has a width, a space too) and every glyph PDFsharp kept an outline of.
            var outlined = TrueTypeReducer.OutlinedGlyphs(program.Span);
            subset = TrueTypeReducer.Subset(program.Span, widths.Keys.Concat(outlined), keepHinting: keepHinting || tricky);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentOutOfRangeException or IndexOutOfRangeException)
        {
            return; // not a glyf-outline program: left as PDFsharp wrote it
        }

        fontFile.SetContent(subset.Font);
        fontFile.Dictionary!.Set("/Length1", subset.Font.Length.ToString(CultureInfo.InvariantCulture));

        // CID c's glyph is the big-endian 16-bit number at bytes 2c and 2c + 1; a CID not drawn maps to 0.
        var map = new byte[2 * (subset.NewIds.Keys.Max() + 1)];
        foreach (var (cid, glyph) in subset.NewIds)
        {
            map[2 * cid] = (byte)(glyph >> 8);
            map[(2 * cid) + 1] = (byte)glyph;
        }

        // Mostly zeros (long runs between the drawn CIDs): the fast level is 7 times quicker there and 0.1 KB larger.
        var mapDictionary = new RawDictionary();
        mapDictionary.Set("/Filter", "/FlateDecode");
        font.Set("/CIDToGIDMap", file.Add(mapDictionary, RawPdf.Deflate(map, MapCompressionLevel)));
        font.Set("/W", WidthArray(widths, font.Integer("/DW") ?? DefaultWidth));
    }

    /// <summary>The widths of a /W array by CID, in both of its forms: <c>c [w1 w2 …]</c> and <c>c_first c_last w</c>.</summary>
    internal static SortedDictionary<int, int> Widths(string array)
    {
        // The numbers and brackets in order; a number is kept as its value, '[' as -1 and ']' as -2.
        var tokens = new List<int>(array.Length / 3);
        for (var i = 0; i < array.Length; i++)
        {
            var c = array[i];
            if (c is '[' or ']')
            {
                tokens.Add(c == '[' ? -1 : -2);
            }
            else if (char.IsAsciiDigit(c) || c is '.' or '-')
            {
                var start = i;
                while (i + 1 < array.Length && (char.IsAsciiDigit(array[i + 1]) || array[i + 1] == '.'))
                {
                    i++;
                }

                var value = (int)Math.Round(double.Parse(array.AsSpan(start, i - start + 1), NumberStyles.Float, CultureInfo.InvariantCulture));
                tokens.Add(value >= 0 ? value : throw new InvalidDataException($"A negative number in /W: {array}"));
            }
            else if (!char.IsWhiteSpace(c))
            {
                throw new InvalidDataException($"Not a /W array: {array}");
            }
        }

        if (tokens is not [-1, .., -2])
        {
            throw new InvalidDataException($"Not a /W array: {array}");
        }

        var widths = new SortedDictionary<int, int>();
        for (var i = 1; i < tokens.Count - 1;)
        {
            var first = tokens[i];
            if (tokens[i + 1] == -1)
            {
                for (i += 2; tokens[i] != -2; i++)
                {
                    widths[first++] = tokens[i];
                }

                i++;
            }
            else
            {
                for (var c = first; c <= tokens[i + 1]; c++)
                {
                    widths[c] = tokens[i + 2];
                }

                i += 3;
            }
        }

        return widths;
    }

    /// <summary>A /W array with the widths other than <paramref name="defaultWidth"/>, consecutive CIDs in one list.</summary>
    internal static string WidthArray(SortedDictionary<int, int> widths, int defaultWidth = DefaultWidth)
    {
        var result = new StringBuilder("[");
        var previous = int.MinValue;
        foreach (var (cid, width) in widths.Where(w => w.Value != defaultWidth))
        {
            if (cid == previous + 1)
            {
                result.Append(CultureInfo.InvariantCulture, $" {width}");
            }
            else
            {
                result.Append(previous == int.MinValue ? "" : "]").Append(CultureInfo.InvariantCulture, $"{cid}[{width}");
            }

            previous = cid;
        }

        return result.Append(previous == int.MinValue ? "]" : "]]").ToString();
    }
}
