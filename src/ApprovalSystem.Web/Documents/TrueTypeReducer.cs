using System.Buffers.Binary;
using System.Text;

namespace ApprovalSystem.Web.Documents;

/// <summary>A TrueType face cut down to some characters, and which characters it maps.</summary>
public sealed record ReducedFont(byte[] Bytes, int GlyphCount, IReadOnlySet<int> CodePoints)
{
    /// <summary>True when every character of the text (line breaks and other controls aside) has a glyph here.</summary>
    public bool Covers(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value >= 0x20 && !CodePoints.Contains(rune.Value))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>
/// Writes a smaller TrueType font holding only the glyphs of chosen characters (plus <c>.notdef</c> and the
/// components of composite glyphs), renumbered from 0. Why: PDFsharp's embedded "subset" keeps the per-glyph
/// tables (<c>loca</c>, <c>hmtx</c>) of the whole face, so saving a PDF costs as much as the face has glyphs.
/// Kept tables: head, hhea, maxp, hmtx, loca (long), glyf, cmap (format 4 for the BMP, plus format 12 when a character lies beyond it), post (format 3, no
/// glyph names), OS/2, name and the hinting tables cvt/fpgm/prep/gasp; layout (GSUB/GPOS/GDEF), vertical
/// metrics and bitmaps are dropped (horizontal CJK text does not use them).
/// </summary>
public static class TrueTypeReducer
{
    private static readonly string[] CopiedTables = ["OS/2", "cvt ", "fpgm", "prep", "gasp"];
    private static readonly string[] HintingTables = ["cvt ", "fpgm", "prep"];

    /// <summary>Characters official documents can need: ASCII, Latin-1, common symbols, CJK punctuation,
    /// full-width forms and all of GB 2312 (its 6,763 hanzi and its symbol rows).</summary>
    public static IReadOnlySet<int> DocumentCharacters { get; } = BuildDocumentCharacters();

    /// <summary>Reduces a single-face TrueType font (glyf outlines) to the glyphs of <paramref name="codePoints"/>
    /// (the ones the font has; the others are simply absent from <see cref="ReducedFont.CodePoints"/>).</summary>
    /// <remarks>The font's names (family, unique, full and PostScript name) get <paramref name="nameSuffix"/>
    /// appended: PDFsharp caches faces by name, so the reduced and the whole face must not share one.</remarks>
    public static ReducedFont Reduce(byte[] font, IEnumerable<int> codePoints, string nameSuffix = " Reduced")
    {
        var tables = ReadTables(font);
        var head = Table(font, tables, "head");
        var maxp = Table(font, tables, "maxp");
        var hhea = Table(font, tables, "hhea");
        var hmtx = Table(font, tables, "hmtx");
        var loca = Table(font, tables, "loca").ToArray();
        var glyf = Table(font, tables, "glyf");
        var numGlyphs = BinaryPrimitives.ReadUInt16BigEndian(maxp[4..]);
        var longLoca = BinaryPrimitives.ReadInt16BigEndian(head[50..]) == 1;
        var numberOfHMetrics = BinaryPrimitives.ReadUInt16BigEndian(hhea[34..]);

        int GlyphStart(int gid) => longLoca ? (int)BinaryPrimitives.ReadUInt32BigEndian(loca.AsSpan(4 * gid))
            : 2 * BinaryPrimitives.ReadUInt16BigEndian(loca.AsSpan(2 * gid));

        // Characters to glyphs, keeping only characters the font has.
        var cmap = ReadCmap(Table(font, tables, "cmap"));
        var mapped = new SortedDictionary<int, int>();
        foreach (var cp in codePoints)
        {
            if (cmap.TryGetValue(cp, out var gid) && gid != 0 && gid < numGlyphs)
            {
                mapped[cp] = gid;
            }
        }

        // Glyph closure: .notdef, the mapped glyphs and every component of a composite glyph.
        var keep = new SortedSet<int> { 0 };
        var pending = new Stack<int>(mapped.Values);
        while (pending.TryPop(out var gid))
        {
            if (!keep.Add(gid))
            {
                continue;
            }

            foreach (var (component, _) in Components(glyf, GlyphStart(gid), GlyphStart(gid + 1)))
            {
                if (component < numGlyphs && !keep.Contains(component))
                {
                    pending.Push(component);
                }
            }
        }

        var order = keep.ToArray();
        var newId = new Dictionary<int, int>(order.Length);
        for (var i = 0; i < order.Length; i++)
        {
            newId[order[i]] = i;
        }

        // glyf, loca (long offsets) and hmtx (one full metric per glyph).
        using var glyfOut = new MemoryStream();
        var locaOut = new byte[4 * (order.Length + 1)];
        var hmtxOut = new byte[4 * order.Length];
        for (var i = 0; i < order.Length; i++)
        {
            var gid = order[i];
            BinaryPrimitives.WriteUInt32BigEndian(locaOut.AsSpan(4 * i), (uint)glyfOut.Length);
            var start = GlyphStart(gid);
            var glyph = glyf[start..GlyphStart(gid + 1)].ToArray();
            foreach (var (component, at) in Components(glyf, start, start + glyph.Length))
            {
                BinaryPrimitives.WriteUInt16BigEndian(glyph.AsSpan(at - start), (ushort)newId[component]);
            }

            glyfOut.Write(glyph);
            glyfOut.Write(new byte[(4 - (glyph.Length % 4)) % 4]);

            var metric = Math.Min(gid, numberOfHMetrics - 1);
            var advance = BinaryPrimitives.ReadUInt16BigEndian(hmtx[(4 * metric)..]);
            var lsb = gid < numberOfHMetrics
                ? BinaryPrimitives.ReadInt16BigEndian(hmtx[((4 * gid) + 2)..])
                : BinaryPrimitives.ReadInt16BigEndian(hmtx[((4 * numberOfHMetrics) + (2 * (gid - numberOfHMetrics)))..]);
            BinaryPrimitives.WriteUInt16BigEndian(hmtxOut.AsSpan(4 * i), advance);
            BinaryPrimitives.WriteInt16BigEndian(hmtxOut.AsSpan((4 * i) + 2), lsb);
        }

        BinaryPrimitives.WriteUInt32BigEndian(locaOut.AsSpan(4 * order.Length), (uint)glyfOut.Length);

        var headOut = head.ToArray();
        BinaryPrimitives.WriteUInt32BigEndian(headOut.AsSpan(8), 0); // checkSumAdjustment, set last
        BinaryPrimitives.WriteInt16BigEndian(headOut.AsSpan(50), 1); // indexToLocFormat: long
        var hheaOut = hhea.ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(hheaOut.AsSpan(34), (ushort)order.Length);
        var maxpOut = maxp.ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(maxpOut.AsSpan(4), (ushort)order.Length);
        var postOut = Table(font, tables, "post")[..32].ToArray();
        BinaryPrimitives.WriteUInt32BigEndian(postOut, 0x00030000);

        var output = new SortedDictionary<string, ReadOnlyMemory<byte>>(StringComparer.Ordinal)
        {
            ["head"] = headOut, ["hhea"] = hheaOut, ["maxp"] = maxpOut, ["hmtx"] = hmtxOut, ["loca"] = locaOut,
            ["glyf"] = glyfOut.ToArray(), ["post"] = postOut,
            ["cmap"] = WriteCmap(mapped.Select(m => (m.Key, newId[m.Value])).ToList()),
            ["name"] = Rename(Table(font, tables, "name"), nameSuffix),
        };
        foreach (var tag in CopiedTables)
        {
            if (tables.ContainsKey(tag))
            {
                output[tag] = Table(font, tables, tag).ToArray();
            }
        }

        return new ReducedFont(WriteFont(output), order.Length, new HashSet<int>(mapped.Keys));
    }

    /// <summary>
    /// Cuts a font program to some of its glyphs, renumbered: <c>.notdef</c> becomes 0 and the chosen glyphs (with the
    /// components of composite glyphs) follow in their old order. This is what a PDF needs of an embedded CID font whose
    /// CIDs stay the old glyph ids (the CIDToGIDMap says where each went): the glyph tables (glyf, loca, hmtx) and head,
    /// hhea, maxp; any other table is dropped. Without <paramref name="keepHinting"/> the hinting is dropped too (cvt,
    /// fpgm, prep and each glyph's instructions): PDF viewers draw outlines unhinted, and a face that needs its
    /// instructions to assemble glyphs (a "tricky" face, e.g. MingLiU) is the caller's to keep whole.
    /// </summary>
    /// <returns>The font file and, for each old glyph id kept, its new id.</returns>
    public static (byte[] Font, Dictionary<int, int> NewIds) Subset(ReadOnlySpan<byte> font, IEnumerable<int> glyphs, bool keepHinting = false)
    {
        var tables = ReadTables(font);
        var head = Table(font, tables, "head");
        var maxp = Table(font, tables, "maxp");
        var hhea = Table(font, tables, "hhea");
        var hmtx = Table(font, tables, "hmtx");
        var loca = Table(font, tables, "loca");
        var glyf = Table(font, tables, "glyf");
        var numGlyphs = BinaryPrimitives.ReadUInt16BigEndian(maxp[4..]);
        var longLoca = BinaryPrimitives.ReadInt16BigEndian(head[50..]) == 1;
        var numberOfHMetrics = BinaryPrimitives.ReadUInt16BigEndian(hhea[34..]);

        int GlyphStart(ReadOnlySpan<byte> l, int gid) => longLoca ? (int)BinaryPrimitives.ReadUInt32BigEndian(l[(4 * gid)..])
            : 2 * BinaryPrimitives.ReadUInt16BigEndian(l[(2 * gid)..]);

        var keep = new SortedSet<int>();
        var pending = new Stack<int>(glyphs.Where(g => g > 0 && g < numGlyphs));
        pending.Push(0); // .notdef
        var capacity = 0;
        while (pending.TryPop(out var gid))
        {
            if (keep.Add(gid))
            {
                var start = GlyphStart(loca, gid);
                var end = GlyphStart(loca, gid + 1);
                capacity += end - start + 3;
                for (var at = FirstComponent(glyf[start..end]); at > 0; at = NextComponent(glyf[start..end], at))
                {
                    var component = BinaryPrimitives.ReadUInt16BigEndian(glyf[(start + at + 2)..]);
                    if (component < numGlyphs && !keep.Contains(component))
                    {
                        pending.Push(component);
                    }
                }
            }
        }

        var order = keep.ToArray();
        var newIds = new Dictionary<int, int>(order.Length);
        for (var i = 0; i < order.Length; i++)
        {
            newIds[order[i]] = i;
        }

        // glyf (each glyph 4-byte aligned, components renumbered), its offsets and hmtx (one full metric per glyph).
        var glyfOut = new byte[capacity + 3];
        var offsets = new int[order.Length + 1];
        var hmtxOut = new byte[4 * order.Length];
        var length = 0;
        for (var i = 0; i < order.Length; i++)
        {
            var gid = order[i];
            offsets[i] = length;
            var start = GlyphStart(loca, gid);
            var end = GlyphStart(loca, gid + 1);
            if (end > start)
            {
                var glyph = glyfOut.AsSpan(length, CopyGlyph(glyf[start..end], glyfOut.AsSpan(length), keepHinting));
                for (var at = FirstComponent(glyph); at > 0; at = NextComponent(glyph, at))
                {
                    BinaryPrimitives.WriteUInt16BigEndian(glyph[(at + 2)..], (ushort)newIds[BinaryPrimitives.ReadUInt16BigEndian(glyph[(at + 2)..])]);
                }

                length += (glyph.Length + 3) & ~3;
            }

            var metric = Math.Min(gid, numberOfHMetrics - 1);
            BinaryPrimitives.WriteUInt16BigEndian(hmtxOut.AsSpan(4 * i), BinaryPrimitives.ReadUInt16BigEndian(hmtx[(4 * metric)..]));
            BinaryPrimitives.WriteInt16BigEndian(hmtxOut.AsSpan((4 * i) + 2), gid < numberOfHMetrics
                ? BinaryPrimitives.ReadInt16BigEndian(hmtx[((4 * gid) + 2)..])
                : BinaryPrimitives.ReadInt16BigEndian(hmtx[((4 * numberOfHMetrics) + (2 * (gid - numberOfHMetrics)))..]));
        }

        offsets[order.Length] = length;

        // Short offsets (half the glyph offset, 2 bytes) when the glyph data allows them.
        var shortLoca = offsets[^1] / 2 <= ushort.MaxValue;
        var locaOut = new byte[(shortLoca ? 2 : 4) * offsets.Length];
        for (var i = 0; i < offsets.Length; i++)
        {
            if (shortLoca)
            {
                BinaryPrimitives.WriteUInt16BigEndian(locaOut.AsSpan(2 * i), (ushort)(offsets[i] / 2));
            }
            else
            {
                BinaryPrimitives.WriteUInt32BigEndian(locaOut.AsSpan(4 * i), (uint)offsets[i]);
            }
        }

        var headOut = head.ToArray();
        BinaryPrimitives.WriteUInt32BigEndian(headOut.AsSpan(8), 0); // checkSumAdjustment, set last
        BinaryPrimitives.WriteInt16BigEndian(headOut.AsSpan(50), (short)(shortLoca ? 0 : 1));
        var hheaOut = hhea.ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(hheaOut.AsSpan(34), (ushort)order.Length);
        var maxpOut = maxp.ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(maxpOut.AsSpan(4), (ushort)order.Length);
        var output = new SortedDictionary<string, ReadOnlyMemory<byte>>(StringComparer.Ordinal)
        {
            ["head"] = headOut, ["hhea"] = hheaOut, ["maxp"] = maxpOut, ["hmtx"] = hmtxOut, ["loca"] = locaOut, ["glyf"] = glyfOut.AsMemory(0, length),
        };
        foreach (var tag in keepHinting ? HintingTables : [])
        {
            if (tables.ContainsKey(tag))
            {
                output[tag] = Table(font, tables, tag).ToArray();
            }
        }

        return (WriteFont(output), newIds);
    }

    /// <summary>The glyphs of a font that have an outline (PDFsharp's subset keeps only the outlines a document uses).</summary>
    public static List<int> OutlinedGlyphs(ReadOnlySpan<byte> font)
    {
        var tables = ReadTables(font);
        var numGlyphs = BinaryPrimitives.ReadUInt16BigEndian(Table(font, tables, "maxp")[4..]);
        var longLoca = BinaryPrimitives.ReadInt16BigEndian(Table(font, tables, "head")[50..]) == 1;
        var loca = Table(font, tables, "loca");
        var result = new List<int>();
        for (var gid = 0; gid < numGlyphs; gid++)
        {
            var (start, end) = longLoca
                ? (BinaryPrimitives.ReadUInt32BigEndian(loca[(4 * gid)..]), BinaryPrimitives.ReadUInt32BigEndian(loca[(4 * (gid + 1))..]))
                : (BinaryPrimitives.ReadUInt16BigEndian(loca[(2 * gid)..]), (uint)BinaryPrimitives.ReadUInt16BigEndian(loca[(2 * (gid + 1))..]));
            if (end > start)
            {
                result.Add(gid);
            }
        }

        return result;
    }

    /// <summary>Copies a glyph into <paramref name="to"/>, without its TrueType instructions unless <paramref name="keepHinting"/>
    /// (a simple glyph's, or those after a composite's last component); returns the length written.</summary>
    private static int CopyGlyph(ReadOnlySpan<byte> glyph, Span<byte> to, bool keepHinting)
    {
        var contours = BinaryPrimitives.ReadInt16BigEndian(glyph);
        if (!keepHinting && contours >= 0)
        {
            var at = 10 + (2 * contours);
            var instructions = BinaryPrimitives.ReadUInt16BigEndian(glyph[at..]);
            glyph[..at].CopyTo(to);
            BinaryPrimitives.WriteUInt16BigEndian(to[at..], 0);
            glyph[(at + 2 + instructions)..].CopyTo(to[(at + 2)..]);
            return glyph.Length - instructions;
        }

        var last = 0;
        for (var c = FirstComponent(glyph); c > 0; c = NextComponent(glyph, c))
        {
            last = c;
        }

        if (keepHinting || last == 0 || (BinaryPrimitives.ReadUInt16BigEndian(glyph[last..]) & 0x0100) == 0)
        {
            glyph.CopyTo(to);
            return glyph.Length;
        }

        var end = ComponentEnd(glyph, last);
        glyph[..end].CopyTo(to);
        BinaryPrimitives.WriteUInt16BigEndian(to[last..], (ushort)(BinaryPrimitives.ReadUInt16BigEndian(glyph[last..]) & ~0x0100));
        return end;
    }

    /// <summary>Where the first component record (its flags) of a composite glyph starts, or 0 for a simple or empty glyph.</summary>
    private static int FirstComponent(ReadOnlySpan<byte> glyph) => glyph.Length >= 10 && BinaryPrimitives.ReadInt16BigEndian(glyph) < 0 ? 10 : 0;

    /// <summary>Where the component record after the one at <paramref name="at"/> starts, or 0 after the last.</summary>
    private static int NextComponent(ReadOnlySpan<byte> glyph, int at) =>
        (BinaryPrimitives.ReadUInt16BigEndian(glyph[at..]) & 0x0020) != 0 ? ComponentEnd(glyph, at) : 0;

    internal static Dictionary<string, (int Offset, int Length)> ReadTables(ReadOnlySpan<byte> font)
    {
        var count = BinaryPrimitives.ReadUInt16BigEndian(font[4..]);
        var tables = new Dictionary<string, (int, int)>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var record = font.Slice(12 + (16 * i), 16);
            tables[Encoding.ASCII.GetString(record[..4])] = ((int)BinaryPrimitives.ReadUInt32BigEndian(record[8..]),
                (int)BinaryPrimitives.ReadUInt32BigEndian(record[12..]));
        }

        return tables;
    }

    internal static ReadOnlySpan<byte> Table(ReadOnlySpan<byte> font, Dictionary<string, (int Offset, int Length)> tables, string tag) =>
        tables.TryGetValue(tag, out var t)
            ? font.Slice(t.Offset, t.Length)
            : throw new InvalidDataException($"The font has no '{tag}' table (only TrueType outlines can be reduced).");

    /// <summary>The components of a composite glyph and where each one's glyph index is stored (absolute offset in glyf).</summary>
    private static List<(int Glyph, int At)> Components(ReadOnlySpan<byte> glyf, int start, int end)
    {
        var result = new List<(int, int)>();
        if (end - start < 10 || BinaryPrimitives.ReadInt16BigEndian(glyf[start..]) >= 0)
        {
            return result;
        }

        var p = start + 10;
        while (true)
        {
            var flags = BinaryPrimitives.ReadUInt16BigEndian(glyf[p..]);
            result.Add((BinaryPrimitives.ReadUInt16BigEndian(glyf[(p + 2)..]), p + 2));
            if ((flags & 0x0020) == 0)
            {
                return result;
            }

            p = ComponentEnd(glyf, p);
        }
    }

    /// <summary>Where the component record at <paramref name="at"/> (its flags) ends.</summary>
    private static int ComponentEnd(ReadOnlySpan<byte> glyf, int at)
    {
        var flags = BinaryPrimitives.ReadUInt16BigEndian(glyf[at..]);
        return at + 4 + ((flags & 0x0001) != 0 ? 4 : 2) + ((flags & 0x0008) != 0 ? 2 : (flags & 0x0040) != 0 ? 4 : (flags & 0x0080) != 0 ? 8 : 0);
    }

    /// <summary>A copy of a name table with a suffix on names 1, 3, 4 (spaces kept) and 6 (spaces dropped).</summary>
    private static byte[] Rename(ReadOnlySpan<byte> name, string suffix)
    {
        var count = BinaryPrimitives.ReadUInt16BigEndian(name[2..]);
        var storage = BinaryPrimitives.ReadUInt16BigEndian(name[4..]);
        using var strings = new MemoryStream();
        var header = new byte[6 + (12 * count)];
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), count);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(4), (ushort)header.Length);
        for (var i = 0; i < count; i++)
        {
            var record = name.Slice(6 + (12 * i), 12);
            record.CopyTo(header.AsSpan(6 + (12 * i)));
            var platform = BinaryPrimitives.ReadUInt16BigEndian(record);
            var nameId = BinaryPrimitives.ReadUInt16BigEndian(record[6..]);
            var text = name.Slice(storage + BinaryPrimitives.ReadUInt16BigEndian(record[10..]), BinaryPrimitives.ReadUInt16BigEndian(record[8..])).ToArray();
            if (nameId is 1 or 3 or 4 or 6 && platform is 0 or 1 or 3)
            {
                var extra = nameId == 6 ? suffix.Replace(" ", "", StringComparison.Ordinal) : suffix;
                text = [.. text, .. platform == 1 ? Encoding.ASCII.GetBytes(extra) : Encoding.BigEndianUnicode.GetBytes(extra)];
            }

            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(6 + (12 * i) + 8), (ushort)text.Length);
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(6 + (12 * i) + 10), (ushort)strings.Length);
            strings.Write(text);
        }

        return [.. header, .. strings.ToArray()];
    }

    /// <summary>The Unicode character map: a Windows (3,10) format 12 subtable if present, else (3,1)/(0,x) format 4.</summary>
    internal static Dictionary<int, int> ReadCmap(ReadOnlySpan<byte> cmap)
    {
        var count = BinaryPrimitives.ReadUInt16BigEndian(cmap[2..]);
        int? format4 = null, format12 = null;
        for (var i = 0; i < count; i++)
        {
            var record = cmap[(4 + (8 * i))..];
            var platform = BinaryPrimitives.ReadUInt16BigEndian(record);
            var encoding = BinaryPrimitives.ReadUInt16BigEndian(record[2..]);
            var offset = (int)BinaryPrimitives.ReadUInt32BigEndian(record[4..]);
            var format = BinaryPrimitives.ReadUInt16BigEndian(cmap[offset..]);
            if (format == 12 && (platform == 0 || (platform == 3 && encoding == 10)))
            {
                format12 ??= offset;
            }
            else if (format == 4 && (platform == 0 || (platform == 3 && encoding == 1)))
            {
                format4 ??= offset;
            }
        }

        var map = new Dictionary<int, int>();
        if (format12 is { } o12)
        {
            var groups = BinaryPrimitives.ReadUInt32BigEndian(cmap[(o12 + 12)..]);
            for (var g = 0; g < groups; g++)
            {
                var group = cmap[(o12 + 16 + (12 * g))..];
                var first = (int)BinaryPrimitives.ReadUInt32BigEndian(group);
                var last = (int)BinaryPrimitives.ReadUInt32BigEndian(group[4..]);
                var glyph = (int)BinaryPrimitives.ReadUInt32BigEndian(group[8..]);
                for (var c = first; c <= last; c++)
                {
                    map[c] = glyph + (c - first);
                }
            }

            return map;
        }

        if (format4 is not { } o)
        {
            throw new InvalidDataException("The font has no Unicode character map.");
        }

        var segments = BinaryPrimitives.ReadUInt16BigEndian(cmap[(o + 6)..]) / 2;
        var ends = o + 14;
        var starts = ends + (2 * segments) + 2;
        var deltas = starts + (2 * segments);
        var rangeOffsets = deltas + (2 * segments);
        for (var s = 0; s < segments; s++)
        {
            int end = BinaryPrimitives.ReadUInt16BigEndian(cmap[(ends + (2 * s))..]);
            int start = BinaryPrimitives.ReadUInt16BigEndian(cmap[(starts + (2 * s))..]);
            var delta = BinaryPrimitives.ReadInt16BigEndian(cmap[(deltas + (2 * s))..]);
            int rangeOffset = BinaryPrimitives.ReadUInt16BigEndian(cmap[(rangeOffsets + (2 * s))..]);
            for (var c = start; c <= end && c != 0xFFFF; c++)
            {
                int glyph;
                if (rangeOffset == 0)
                {
                    glyph = (c + delta) & 0xFFFF;
                }
                else
                {
                    var at = rangeOffsets + (2 * s) + rangeOffset + (2 * (c - start));
                    glyph = BinaryPrimitives.ReadUInt16BigEndian(cmap[at..]);
                    glyph = glyph == 0 ? 0 : (glyph + delta) & 0xFFFF;
                }

                if (glyph != 0)
                {
                    map[c] = glyph;
                }
            }
        }

        return map;
    }

    /// <summary>A cmap with a Windows Unicode BMP (3,1) format 4 subtable, one segment per run of consecutive
    /// characters with consecutive glyphs (idDelta only, no glyph id array); and, when a character lies beyond the
    /// BMP (CJK Extension B and later), a Windows full-repertoire (3,10) format 12 subtable with every character.</summary>
    private static byte[] WriteCmap(IReadOnlyList<(int Char, int Glyph)> mapping)
    {
        var format4 = WriteFormat4([.. mapping.Where(m => m.Char <= 0xFFFF)]);
        if (mapping.All(m => m.Char <= 0xFFFF))
        {
            return [.. Header(1), .. Record(3, 1, 12), .. format4];
        }

        var format12 = WriteFormat12(mapping);
        return [.. Header(2), .. Record(3, 1, 20), .. Record(3, 10, 20 + format4.Length), .. format4, .. format12];

        static byte[] Header(int subtables)
        {
            var header = new byte[4];
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), (ushort)subtables);
            return header;
        }

        static byte[] Record(int platform, int encoding, int offset)
        {
            var record = new byte[8];
            BinaryPrimitives.WriteUInt16BigEndian(record, (ushort)platform);
            BinaryPrimitives.WriteUInt16BigEndian(record.AsSpan(2), (ushort)encoding);
            BinaryPrimitives.WriteUInt32BigEndian(record.AsSpan(4), (uint)offset);
            return record;
        }
    }

    /// <summary>The most code points a format 4 segment with a glyph id array may skip between two runs of characters
    /// (each skipped one costs the array 2 bytes, a segment costs 8).</summary>
    private static readonly int[] SegmentGaps = [512, 256, 128, 64, 32, 16, 8, 4, 0];

    /// <summary>A format 4 subtable. Runs of consecutive characters with consecutive glyphs that lie close together
    /// share one segment with a glyph id array (0 for the characters between them, which the font does not have), so that
    /// the table has few segments: PDFsharp looks a character up by walking the segments in order, and a reduced face's
    /// thousands of runs made every character drawn or measured cost thousands of comparisons. The widest sharing whose
    /// table still fits format 4's 16-bit length is taken; a run alone in its segment keeps idDelta only.</summary>
    private static byte[] WriteFormat4(IReadOnlyList<(int Char, int Glyph)> mapping)
    {
        var runs = new List<(int Start, int End, int Delta)>();
        foreach (var (c, g) in mapping)
        {
            if (runs.Count > 0 && runs[^1].End == c - 1 && runs[^1].Delta == ((g - c) & 0xFFFF))
            {
                runs[^1] = (runs[^1].Start, c, runs[^1].Delta);
            }
            else
            {
                runs.Add((c, c, (g - c) & 0xFFFF));
            }
        }

        foreach (var gap in SegmentGaps)
        {
            // Segments as lists of runs: a run joins the segment before it when at most `gap` code points lie between them.
            var segments = new List<List<(int Start, int End, int Delta)>>();
            foreach (var run in runs)
            {
                if (gap > 0 && segments.Count > 0 && run.Start - segments[^1][^1].End - 1 <= gap)
                {
                    segments[^1].Add(run);
                }
                else
                {
                    segments.Add([run]);
                }
            }

            var n = segments.Count + 1; // and the final 0xFFFF segment
            var arrayEntries = segments.Where(r => r.Count > 1).Sum(r => r[^1].End - r[0].Start + 1);
            var length = 16 + (8 * n) + (2 * arrayEntries);
            if (length <= ushort.MaxValue || gap == 0)
            {
                return Format4(segments, n, length);
            }
        }

        throw new InvalidOperationException("unreachable: the last gap, 0, is always taken");
    }

    private static byte[] Format4(List<List<(int Start, int End, int Delta)>> segments, int n, int length)
    {
        var table = new byte[length];
        var f = table.AsSpan();
        BinaryPrimitives.WriteUInt16BigEndian(f, 4);
        BinaryPrimitives.WriteUInt16BigEndian(f[2..], (ushort)length);
        BinaryPrimitives.WriteUInt16BigEndian(f[6..], (ushort)(2 * n));
        var power = 1;
        var log = 0;
        while (power * 2 <= n)
        {
            power *= 2;
            log++;
        }

        BinaryPrimitives.WriteUInt16BigEndian(f[8..], (ushort)(2 * power));
        BinaryPrimitives.WriteUInt16BigEndian(f[10..], (ushort)log);
        BinaryPrimitives.WriteUInt16BigEndian(f[12..], (ushort)((2 * n) - (2 * power)));
        var ends = 14;
        var starts = 16 + (2 * n);
        var deltas = 16 + (4 * n);
        var rangeOffsets = 16 + (6 * n);
        var array = 16 + (8 * n);
        void Segment(int i, int start, int end, int delta, int rangeOffset)
        {
            BinaryPrimitives.WriteUInt16BigEndian(table.AsSpan(ends + (2 * i)), (ushort)end);
            BinaryPrimitives.WriteUInt16BigEndian(table.AsSpan(starts + (2 * i)), (ushort)start);
            BinaryPrimitives.WriteUInt16BigEndian(table.AsSpan(deltas + (2 * i)), (ushort)delta);
            BinaryPrimitives.WriteUInt16BigEndian(table.AsSpan(rangeOffsets + (2 * i)), (ushort)rangeOffset);
        }

        for (var i = 0; i < segments.Count; i++)
        {
            var runs = segments[i];
            if (runs.Count == 1)
            {
                Segment(i, runs[0].Start, runs[0].End, runs[0].Delta, 0);
                continue;
            }

            // idRangeOffset counts bytes from its own entry to the segment's first glyph id; idDelta 0.
            var first = runs[0].Start;
            Segment(i, first, runs[^1].End, 0, array - (rangeOffsets + (2 * i)));
            foreach (var (start, end, delta) in runs)
            {
                for (var c = start; c <= end; c++)
                {
                    BinaryPrimitives.WriteUInt16BigEndian(f[(array + (2 * (c - first)))..], (ushort)((c + delta) & 0xFFFF));
                }
            }

            array += 2 * (runs[^1].End - first + 1);
        }

        Segment(segments.Count, 0xFFFF, 0xFFFF, 1, 0);
        return table;
    }

    /// <summary>A format 12 subtable: one group per run of consecutive characters with consecutive glyphs.</summary>
    private static byte[] WriteFormat12(IReadOnlyList<(int Char, int Glyph)> mapping)
    {
        var groups = new List<(int Start, int End, int Glyph)>();
        foreach (var (c, g) in mapping)
        {
            if (groups.Count > 0 && groups[^1].End == c - 1 && groups[^1].Glyph + (c - groups[^1].Start) == g)
            {
                groups[^1] = (groups[^1].Start, c, groups[^1].Glyph);
            }
            else
            {
                groups.Add((c, c, g));
            }
        }

        var table = new byte[16 + (12 * groups.Count)];
        var f = table.AsSpan();
        BinaryPrimitives.WriteUInt16BigEndian(f, 12);
        BinaryPrimitives.WriteUInt32BigEndian(f[4..], (uint)table.Length);
        BinaryPrimitives.WriteUInt32BigEndian(f[12..], (uint)groups.Count);
        for (var i = 0; i < groups.Count; i++)
        {
            var group = f[(16 + (12 * i))..];
            BinaryPrimitives.WriteUInt32BigEndian(group, (uint)groups[i].Start);
            BinaryPrimitives.WriteUInt32BigEndian(group[4..], (uint)groups[i].End);
            BinaryPrimitives.WriteUInt32BigEndian(group[8..], (uint)groups[i].Glyph);
        }

        return table;
    }

    /// <summary>Assembles the tables (sorted by tag) with checksums and the head checkSumAdjustment.</summary>
    internal static byte[] WriteFont(SortedDictionary<string, ReadOnlyMemory<byte>> tables)
    {
        var n = tables.Count;
        var headerLength = 12 + (16 * n);
        var font = new byte[headerLength + tables.Values.Sum(t => (t.Length + 3) & ~3)];
        var power = 1;
        var log = 0;
        while (power * 2 <= n)
        {
            power *= 2;
            log++;
        }

        BinaryPrimitives.WriteUInt32BigEndian(font, 0x00010000);
        BinaryPrimitives.WriteUInt16BigEndian(font.AsSpan(4), (ushort)n);
        BinaryPrimitives.WriteUInt16BigEndian(font.AsSpan(6), (ushort)(16 * power));
        BinaryPrimitives.WriteUInt16BigEndian(font.AsSpan(8), (ushort)log);
        BinaryPrimitives.WriteUInt16BigEndian(font.AsSpan(10), (ushort)((16 * n) - (16 * power)));
        var position = headerLength;
        var i = 0;
        var headAt = 0;
        foreach (var (tag, data) in tables)
        {
            var record = font.AsSpan(12 + (16 * i++));
            Encoding.ASCII.GetBytes(tag, record);
            data.Span.CopyTo(font.AsSpan(position));
            BinaryPrimitives.WriteUInt32BigEndian(record[4..], Checksum(font.AsSpan(position, (data.Length + 3) & ~3)));
            BinaryPrimitives.WriteUInt32BigEndian(record[8..], (uint)position);
            BinaryPrimitives.WriteUInt32BigEndian(record[12..], (uint)data.Length);
            if (tag == "head")
            {
                headAt = position;
            }

            position += (data.Length + 3) & ~3;
        }

        BinaryPrimitives.WriteUInt32BigEndian(font.AsSpan(headAt + 8), unchecked(0xB1B0AFBA - Checksum(font)));
        return font;
    }

    private static uint Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (var i = 0; i + 3 < data.Length; i += 4)
        {
            sum = unchecked(sum + BinaryPrimitives.ReadUInt32BigEndian(data[i..]));
        }

        return sum;
    }

    private static HashSet<int> BuildDocumentCharacters()
    {
        var set = new HashSet<int>();
        void Range(int from, int to)
        {
            for (var c = from; c <= to; c++)
            {
                set.Add(c);
            }
        }

        Range(0x20, 0x7E); // ASCII
        Range(0xA0, 0xFF); // Latin-1: ·, ×, §, °, ±
        Range(0x2010, 0x206F); // general punctuation: —, ‘’, “”, …, ‰, ※
        Range(0x2100, 0x21FF); // letterlike (℃, №), number forms (Ⅰ–Ⅻ), arrows
        Range(0x2460, 0x24FF); // circled numbers ①
        Range(0x25A0, 0x25FF); // geometric shapes □ ■ ○ ● △
        Range(0x2605, 0x2606); // ★ ☆
        Range(0x3000, 0x303F); // CJK symbols and punctuation: 、。《》「」【】〔〕
        Range(0x3220, 0x3243); // parenthesised ideographs ㈠
        Range(0x33A1, 0x33A1); // ㎡
        Range(0xFF01, 0xFF5E); // full-width forms
        Range(0xFFE0, 0xFFE6); // full-width ￥ etc.

        // GB 2312: rows 0xA1–0xA9 (symbols, Greek, Cyrillic, pinyin, box drawing) and 0xB0–0xF7 (6,763 hanzi).
        var gb = CodePagesEncodingProvider.Instance.GetEncoding(936)!;
        Span<byte> pair = stackalloc byte[2];
        Span<char> decoded = stackalloc char[2];
        for (var lead = 0xA1; lead <= 0xF7; lead++)
        {
            if (lead is > 0xA9 and < 0xB0)
            {
                continue;
            }

            for (var trail = 0xA1; trail <= 0xFE; trail++)
            {
                pair[0] = (byte)lead;
                pair[1] = (byte)trail;
                if (gb.GetChars(pair, decoded) == 1 && decoded[0] != '?' && !char.IsSurrogate(decoded[0]) && decoded[0] is < '\uE000' or > '\uF8FF')
                {
                    set.Add(decoded[0]);
                }
            }
        }

        return set;
    }
}
