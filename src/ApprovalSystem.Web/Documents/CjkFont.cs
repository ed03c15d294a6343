using System.Buffers.Binary;
using System.Text;
using PdfSharp.Fonts;

namespace ApprovalSystem.Web.Documents;

/// <summary>No CJK TrueType font could be found: printing cannot work until one is installed or configured.</summary>
public sealed class FontMissingException(string message) : Exception(message);

/// <summary>
/// The chain of TrueType faces documents are drawn with: the configured fonts (<c>Documents:FontPaths</c>, and
/// <c>Documents:FontPath</c> first), then the usual system fonts (<see cref="Candidates"/>). Each character is drawn
/// with the first face that has it (<see cref="Segments"/>), so a name with 䶮 or 𠈌 prints although the main face
/// lacks them; a character no face has is reported (<see cref="Missing"/>) and drawn as <see cref="Placeholder"/>.
/// Families served to PDFsharp: <see cref="Family"/>, the first face reduced once per process to the characters
/// documents normally need (<see cref="TrueTypeReducer.DocumentCharacters"/>: GB 2312 and punctuation, which keeps
/// the per-document subset small and fast to save); and for any other character a block face, "CJK i-B": face
/// <c>i</c> of the chain reduced to the 256 code points of block <c>B</c> (code point / 256), made on first use.
/// A rare character so costs a few KB, not the whole face (PDFsharp's subset keeps a face's per-glyph tables).
/// Faces with PostScript (CFF) outlines, like Debian's Noto CJK, are skipped (<see cref="Skipped"/>).
/// </summary>
public sealed class CjkFont : IFontResolver
{
    public const string Family = "CJK";

    /// <summary>Drawn for a character no face has (and reported, never silent).</summary>
    public const string Placeholder = "□";

    public static readonly IReadOnlyList<string> Candidates =
    [
        @"C:\Windows\Fonts\simhei.ttf",
        @"C:\Windows\Fonts\msyh.ttc",
        @"C:\Windows\Fonts\simsun.ttc",
        @"C:\Windows\Fonts\simsunb.ttf", // SimSun-ExtB: CJK Extension B
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
        "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
        "/usr/share/fonts/truetype/hanazono/HanaMinA.ttf", // CJK Extension A and much of B
        "/usr/share/fonts/truetype/hanazono/HanaMinB.ttf", // CJK Extension B–F
    ];

    private readonly byte[] _primary;
    private readonly ReducedFont? _reduced;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> _blocks = new(StringComparer.Ordinal);

    private CjkFont(IReadOnlyList<FontFace> faces, IReadOnlyList<string> skipped)
    {
        Faces = faces;
        Skipped = skipped;
        _primary = faces[0].ReadBytes();
        try
        {
            _reduced = TrueTypeReducer.Reduce(_primary, TrueTypeReducer.DocumentCharacters);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentOutOfRangeException or IndexOutOfRangeException)
        {
            _reduced = null; // not a glyf-outline face we can cut: embed the whole face for its characters
        }
    }

    /// <summary>The faces in the order characters are looked up; the first is the main face.</summary>
    public IReadOnlyList<FontFace> Faces { get; }

    /// <summary>Configured or system fonts that are not in the chain, each with the reason.</summary>
    public IReadOnlyList<string> Skipped { get; }

    /// <summary>The main face's file.</summary>
    public string Path => Faces[0].Path;

    /// <summary>The reduced main face served as <see cref="Family"/>, or null when the whole face is used.</summary>
    public ReducedFont? Reduced => _reduced;

    /// <summary>The main face as a standalone font file (a collection's first face).</summary>
    public byte[] PrimaryFace => _primary;

    /// <summary>One line per face for the start-up report.</summary>
    public IEnumerable<string> Describe() =>
        Faces.Select((f, i) => $"{i + 1}. {f.Name} ({f.Path}, {f.CharacterCount} characters)"
            + (i == 0 && _reduced is not null ? $", reduced to {_reduced.CodePoints.Count} for ordinary text" : ""))
            .Concat(Skipped.Select(s => "   not used: " + s));

    public static string MissingMessage(string? configured) =>
        (configured is null ? "" : $"配置的字体文件“{configured}”不存在或不是 TrueType 字体。") +
        "未找到中文字体，无法打印文书。请安装文泉驿微米黑（Debian/Ubuntu：sudo apt-get install fonts-wqy-microhei），" +
        "或在 appsettings.json 中设置 Documents:FontPath 指向黑体 simhei.ttf / 微软雅黑 msyh.ttc。" +
        "生僻字（扩展 A/B 区）另需花园明朝：sudo apt-get install fonts-hanazono。" +
        " (No CJK TrueType font found: install fonts-wqy-microhei (and fonts-hanazono for rare characters) or set Documents:FontPath.)";

    /// <summary>Finds and loads the chain (the configured paths in order, then <paramref name="systemCandidates"/>,
    /// by default <see cref="Candidates"/>), or throws <see cref="FontMissingException"/> saying what to install.
    /// A configured path that is missing or unusable is named in <see cref="Skipped"/>; a missing system candidate
    /// is simply not there.</summary>
    public static CjkFont Load(IReadOnlyList<string> configuredPaths, IReadOnlyList<string>? systemCandidates = null)
    {
        var faces = new List<FontFace>();
        var skipped = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var path in configuredPaths.Where(p => !string.IsNullOrWhiteSpace(p)).Concat(systemCandidates ?? Candidates))
        {
            if (!seen.Add(path))
            {
                continue;
            }

            if (!File.Exists(path))
            {
                if (configuredPaths.Contains(path))
                {
                    skipped.Add($"{path}: configured but not found");
                }

                continue;
            }

            var (face, unusable) = FontFace.Open(path);
            if (face is null)
            {
                skipped.Add($"{path}: {unusable}");
            }
            else
            {
                faces.Add(face);
            }
        }

        if (faces.Count == 0)
        {
            throw new FontMissingException(MissingMessage(configuredPaths.FirstOrDefault(p => !string.IsNullOrWhiteSpace(p))));
        }

        return new CjkFont(faces, skipped);
    }

    /// <summary>The family that draws a character: the reduced main face, else the block face of the first face
    /// in the chain that has it; null when no face has it.</summary>
    public string? FamilyOf(int codePoint)
    {
        if (_reduced is null ? Faces[0].Has(codePoint) : _reduced.CodePoints.Contains(codePoint))
        {
            return Family;
        }

        for (var i = 0; i < Faces.Count; i++)
        {
            if (Faces[i].Has(codePoint))
            {
                return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Family} {i}-{codePoint >> 8:X}");
            }
        }

        return null;
    }

    /// <summary>Invisible format characters (joiners, variation selectors, direction marks, controls): not drawn, not reported.</summary>
    public static bool IsIgnorable(int cp) =>
        cp < 0x20 || cp is (>= 0x7F and <= 0x9F) or (>= 0x200B and <= 0x200F) or (>= 0x202A and <= 0x202E) or (>= 0x2060 and <= 0x206F)
            or (>= 0xFE00 and <= 0xFE0F) or 0xFEFF or (>= 0xE0000 and <= 0xE0FFF);

    /// <summary>True when the reduced main face draws the whole text as it is (the common case: one segment, no copy).</summary>
    public bool IsPlain(string text)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            if (IsIgnorable(rune.Value) || (_reduced is null ? !Faces[0].Has(rune.Value) : !_reduced.CodePoints.Contains(rune.Value)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The text cut into runs drawn by one family each, by code point (a surrogate pair stays whole). Invisible
    /// format characters are left out; a character no face has becomes <see cref="Placeholder"/> (see <see cref="Missing"/>).
    /// </summary>
    public List<(string Family, string Text)> Segments(string text)
    {
        var segments = new List<(string Family, string Text)>();
        if (IsPlain(text))
        {
            if (text.Length > 0)
            {
                segments.Add((Family, text));
            }

            return segments;
        }

        var run = new StringBuilder();
        string? current = null;
        foreach (var rune in text.EnumerateRunes())
        {
            if (IsIgnorable(rune.Value))
            {
                continue;
            }

            var family = FamilyOf(rune.Value);
            var piece = rune.ToString();
            if (family is null)
            {
                family = FamilyOf(Placeholder[0]) ?? Family;
                piece = Placeholder;
            }

            if (family != current && run.Length > 0)
            {
                segments.Add((current!, run.ToString()));
                run.Clear();
            }

            current = family;
            run.Append(piece);
        }

        if (run.Length > 0)
        {
            segments.Add((current!, run.ToString()));
        }

        return segments;
    }

    /// <summary>The characters of the texts that no face of the chain has, each once, in order of appearance
    /// (whole code points: an emoji outside the BMP is one string of two UTF-16 units).</summary>
    public IReadOnlyList<string> Missing(IEnumerable<string?> texts)
    {
        var missing = new List<string>();
        foreach (var text in texts)
        {
            if (string.IsNullOrEmpty(text) || IsPlain(text))
            {
                continue;
            }

            foreach (var rune in text.EnumerateRunes())
            {
                var s = rune.ToString();
                if (!IsIgnorable(rune.Value) && FamilyOf(rune.Value) is null && !missing.Contains(s))
                {
                    missing.Add(s);
                }
            }
        }

        return missing;
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) => new(familyName, bold, italic);

    public byte[]? GetFont(string faceName) =>
        faceName == Family ? _reduced?.Bytes ?? _primary : _blocks.GetOrAdd(faceName, BlockFace);

    /// <summary>Face i of the chain reduced to one block of 256 code points ("CJK i-B"), or the whole face if it cannot be cut.</summary>
    private byte[] BlockFace(string faceName)
    {
        var (index, block) = ParseBlock(faceName);
        var face = index == 0 ? _primary : Faces[index].ReadBytes();
        try
        {
            return TrueTypeReducer.Reduce(face, Enumerable.Range(block << 8, 256), $" {block:X}").Bytes;
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentOutOfRangeException or IndexOutOfRangeException)
        {
            return face;
        }
    }

    private static (int Index, int Block) ParseBlock(string faceName)
    {
        var spec = faceName[(Family.Length + 1)..].Split('-');
        return (int.Parse(spec[0], System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(spec[1], System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Copies the first face of a TrueType collection into a standalone font file.</summary>
    internal static byte[]? FirstFace(byte[] ttc)
    {
        var numFonts = BinaryPrimitives.ReadUInt32BigEndian(ttc.AsSpan(8));
        if (numFonts == 0)
        {
            return null;
        }

        var offset = (int)BinaryPrimitives.ReadUInt32BigEndian(ttc.AsSpan(12));
        var numTables = BinaryPrimitives.ReadUInt16BigEndian(ttc.AsSpan(offset + 4));
        var headerLength = 12 + (16 * numTables);
        var tables = new List<(uint Tag, uint Checksum, int Offset, int Length)>();
        for (var i = 0; i < numTables; i++)
        {
            var record = ttc.AsSpan(offset + 12 + (16 * i));
            tables.Add((BinaryPrimitives.ReadUInt32BigEndian(record), BinaryPrimitives.ReadUInt32BigEndian(record[4..]),
                (int)BinaryPrimitives.ReadUInt32BigEndian(record[8..]), (int)BinaryPrimitives.ReadUInt32BigEndian(record[12..])));
        }

        var size = headerLength + tables.Sum(t => (t.Length + 3) & ~3);
        var font = new byte[size];
        ttc.AsSpan(offset, 12).CopyTo(font);
        var position = headerLength;
        for (var i = 0; i < tables.Count; i++)
        {
            var (tag, checksum, tableOffset, length) = tables[i];
            var record = font.AsSpan(12 + (16 * i));
            BinaryPrimitives.WriteUInt32BigEndian(record, tag);
            BinaryPrimitives.WriteUInt32BigEndian(record[4..], checksum);
            BinaryPrimitives.WriteUInt32BigEndian(record[8..], (uint)position);
            BinaryPrimitives.WriteUInt32BigEndian(record[12..], (uint)length);
            ttc.AsSpan(tableOffset, length).CopyTo(font.AsSpan(position));
            position += (length + 3) & ~3;
        }

        return font;
    }
}
