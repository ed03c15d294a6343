using System.Buffers.Binary;
using PdfSharp.Fonts;

namespace ApprovalSystem.Web.Documents;

/// <summary>No CJK TrueType font could be found: printing cannot work until one is installed or configured.</summary>
public sealed class FontMissingException(string message) : Exception(message);

/// <summary>
/// The single CJK TrueType face every document uses: from <c>Documents:FontPath</c>, else the usual
/// system folders (Windows SimHei / Microsoft YaHei; Linux WenQuanYi). A <c>.ttc</c> collection is
/// split into its first face, because PDFsharp embeds single-face TrueType fonts only.
/// Two families are served: <see cref="Family"/>, the face reduced once per process to the characters documents
/// normally need (<see cref="TrueTypeReducer.DocumentCharacters"/>: GB 2312 and common punctuation, about 7,500
/// glyphs instead of the whole face), which keeps PDFsharp's per-document font subset small and fast to save;
/// and <see cref="FullFamily"/>, the whole face, for a document with a character outside that set (a rare
/// character in a name). A face that cannot be reduced (e.g. CFF outlines) is served whole under both names.
/// </summary>
public sealed class CjkFont : IFontResolver
{
    public const string Family = "CJK";
    public const string FullFamily = "CJK Full";

    public static readonly IReadOnlyList<string> Candidates =
    [
        @"C:\Windows\Fonts\simhei.ttf",
        @"C:\Windows\Fonts\msyh.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
        "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
        "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    ];

    private readonly byte[] _face;
    private readonly ReducedFont? _reduced;

    private CjkFont(string path, byte[] face)
    {
        Path = path;
        _face = face;
        try
        {
            _reduced = TrueTypeReducer.Reduce(face, TrueTypeReducer.DocumentCharacters);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentOutOfRangeException or IndexOutOfRangeException)
        {
            _reduced = null; // not a glyf-outline face we can cut: always embed the whole face
        }
    }

    public string Path { get; }

    /// <summary>The reduced face served as <see cref="Family"/>, or null when the whole face is used for everything.</summary>
    public ReducedFont? Reduced => _reduced;

    /// <summary>The family to draw a document's texts with: the reduced face when it has every character, else the whole face.</summary>
    public string FamilyFor(IEnumerable<string?> texts) =>
        _reduced is null || texts.All(_reduced.Covers) ? Family : FullFamily;

    public static string MissingMessage(string? configured) =>
        (configured is null ? "" : $"配置的字体文件“{configured}”不存在或不是 TrueType 字体。") +
        "未找到中文字体，无法打印文书。请安装文泉驿微米黑（Debian/Ubuntu：sudo apt-get install fonts-wqy-microhei），" +
        "或在 appsettings.json 中设置 Documents:FontPath 指向黑体 simhei.ttf / 微软雅黑 msyh.ttc。" +
        " (No CJK TrueType font found: install fonts-wqy-microhei or set Documents:FontPath.)";

    /// <summary>Finds and loads the font, or throws <see cref="FontMissingException"/> saying what to install.</summary>
    public static CjkFont Load(string? configuredPath)
    {
        var paths = string.IsNullOrWhiteSpace(configuredPath) ? Candidates : [configuredPath];
        foreach (var path in paths)
        {
            if (!File.Exists(path))
            {
                continue;
            }

            var bytes = File.ReadAllBytes(path);
            var face = IsCollection(bytes) ? FirstFace(bytes) : bytes;
            if (face is not null && face.Length > 12)
            {
                return new CjkFont(path, face);
            }
        }

        throw new FontMissingException(MissingMessage(string.IsNullOrWhiteSpace(configuredPath) ? null : configuredPath));
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(familyName == FullFamily ? FullFamily : Family, bold, italic);

    public byte[]? GetFont(string faceName) => faceName == FullFamily || _reduced is null ? _face : _reduced.Bytes;

    private static bool IsCollection(byte[] b) => b.Length > 12 && b[0] == 't' && b[1] == 't' && b[2] == 'c' && b[3] == 'f';

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
