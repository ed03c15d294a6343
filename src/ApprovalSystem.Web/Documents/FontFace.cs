using System.Buffers.Binary;
using System.Collections;
using System.Text;

namespace ApprovalSystem.Web.Documents;

/// <summary>
/// One TrueType face of the font chain (the first face of a <c>.ttc</c> collection): its family name and which
/// characters it has. Opening reads only the table directory, the character map and the names, so a large
/// fallback face (HanaMinB is 30 MB) costs little at start; the outlines are read when a character needs them.
/// </summary>
public sealed class FontFace
{
    private readonly BitArray _characters;

    private FontFace(string path, string name, BitArray characters, int count)
    {
        Path = path;
        Name = name;
        _characters = characters;
        CharacterCount = count;
    }

    public string Path { get; }

    /// <summary>The family name the face gives itself (e.g. "WenQuanYi Micro Hei", "HanaMinB").</summary>
    public string Name { get; }

    public int CharacterCount { get; }

    public bool Has(int codePoint) => codePoint is >= 0 and <= 0x10FFFF && _characters[codePoint];

    /// <summary>The face as a standalone TrueType font (a collection's first face split out).</summary>
    public byte[] ReadBytes()
    {
        var bytes = File.ReadAllBytes(Path);
        return IsCollection(bytes) ? CjkFont.FirstFace(bytes) ?? throw new InvalidDataException($"{Path}: empty font collection") : bytes;
    }

    /// <summary>Opens a face, or says why it cannot serve documents (not a font, or PostScript outlines).</summary>
    public static (FontFace? Face, string? Unusable) Open(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            var header = Read(file, 0, 12);
            var sfnt = 0L;
            if (IsCollection(header))
            {
                sfnt = BinaryPrimitives.ReadUInt32BigEndian(Read(file, 12, 4));
                header = Read(file, sfnt, 12);
            }

            var version = BinaryPrimitives.ReadUInt32BigEndian(header);
            var numTables = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(4));
            var directory = Read(file, sfnt + 12, 16 * numTables);
            var tables = new Dictionary<string, (long Offset, int Length)>(StringComparer.Ordinal);
            for (var i = 0; i < numTables; i++)
            {
                var record = directory.AsSpan(16 * i, 16);
                tables[Encoding.ASCII.GetString(record[..4])] = (BinaryPrimitives.ReadUInt32BigEndian(record[8..]),
                    (int)BinaryPrimitives.ReadUInt32BigEndian(record[12..]));
            }

            if (!tables.ContainsKey("glyf"))
            {
                // Verified with PDFsharp 6.5: a CFF face is embedded whole (no subset; a 0.5 MB face gave a
                // 300 KB page) and poppler warns of a font type mismatch. Noto CJK faces are 16 MB each.
                return (null, version == 0x4F54544F || tables.ContainsKey("CFF ")
                    ? "PostScript (CFF) outlines: PDFsharp would embed the whole face, not a subset"
                    : "no TrueType outlines (glyf)");
            }

            if (!tables.TryGetValue("cmap", out var cmapTable))
            {
                return (null, "no character map");
            }

            var cmap = TrueTypeReducer.ReadCmap(Read(file, cmapTable.Offset, cmapTable.Length));
            var characters = new BitArray(0x110000);
            foreach (var cp in cmap.Keys)
            {
                if (cp is >= 0 and <= 0x10FFFF)
                {
                    characters[cp] = true;
                }
            }

            var name = tables.TryGetValue("name", out var nameTable) ? FamilyName(Read(file, nameTable.Offset, nameTable.Length)) : null;
            return (new FontFace(path, name ?? System.IO.Path.GetFileNameWithoutExtension(path), characters, cmap.Count), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException
            or ArgumentOutOfRangeException or IndexOutOfRangeException)
        {
            return (null, $"not a readable TrueType font ({e.Message})");
        }
    }

    private static bool IsCollection(byte[] b) => b.Length >= 12 && b[0] == 't' && b[1] == 't' && b[2] == 'c' && b[3] == 'f';

    private static byte[] Read(FileStream file, long offset, int length)
    {
        var buffer = new byte[length];
        file.Position = offset;
        file.ReadExactly(buffer);
        return buffer;
    }

    /// <summary>Name id 1 (family), English from the Windows platform if there is one.</summary>
    private static string? FamilyName(ReadOnlySpan<byte> name)
    {
        var count = BinaryPrimitives.ReadUInt16BigEndian(name[2..]);
        var storage = BinaryPrimitives.ReadUInt16BigEndian(name[4..]);
        string? found = null;
        for (var i = 0; i < count; i++)
        {
            var record = name.Slice(6 + (12 * i), 12);
            var platform = BinaryPrimitives.ReadUInt16BigEndian(record);
            var language = BinaryPrimitives.ReadUInt16BigEndian(record[4..]);
            if (BinaryPrimitives.ReadUInt16BigEndian(record[6..]) != 1 || platform is not (0 or 3))
            {
                continue;
            }

            var text = name.Slice(storage + BinaryPrimitives.ReadUInt16BigEndian(record[10..]), BinaryPrimitives.ReadUInt16BigEndian(record[8..]));
            found ??= Encoding.BigEndianUnicode.GetString(text);
            if (language == 0x409)
            {
                return Encoding.BigEndianUnicode.GetString(text);
            }
        }

        return found;
    }
}
