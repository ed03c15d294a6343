using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace ApprovalSystem.Web.Documents;

/// <summary>
/// A PDF file as its numbered objects, read from its cross-reference table, to be changed object by object and
/// written again: enough for PDFsharp's own output (a classic xref table, stream lengths given directly), without
/// parsing and re-serialising everything as <c>PdfReader</c> does. Anything else (a cross-reference stream, an
/// indirect stream length, a damaged table) is refused with <see cref="InvalidDataException"/>.
/// </summary>
internal sealed class RawPdf
{
    private static readonly Encoding Latin1 = Encoding.Latin1;

    private readonly byte[] _header;
    private readonly SortedDictionary<int, RawObject> _objects;
    private readonly SortedSet<int> _freed = [];

    private RawPdf(byte[] header, SortedDictionary<int, RawObject> objects, RawDictionary trailer)
    {
        _header = header;
        _objects = objects;
        Trailer = trailer;
    }

    public RawDictionary Trailer { get; }

    public IEnumerable<RawObject> Objects => _objects.Values;

    /// <summary>The object a reference (<c>12 0 R</c>) points to, or null.</summary>
    public RawObject? Resolve(string? reference) => RawDictionary.ReferenceNumber(reference) is { } n && _objects.TryGetValue(n, out var o) ? o : null;

    /// <summary>A new object, numbered after the others; returns its reference.</summary>
    public string Add(RawDictionary dictionary, byte[]? stream)
    {
        var number = Math.Max(_objects.Keys.DefaultIfEmpty(0).Max(), _freed.DefaultIfEmpty(0).Max()) + 1;
        _objects[number] = new RawObject(number, 0, dictionary, null, stream);
        return string.Create(CultureInfo.InvariantCulture, $"{number} 0 R");
    }

    /// <summary>Removes an object (its number becomes a free entry); the caller removes the references to it.</summary>
    public void Remove(RawObject o)
    {
        _objects.Remove(o.Number);
        _freed.Add(o.Number);
    }

    public static RawPdf Parse(byte[] pdf)
    {
        var text = Latin1.GetString(pdf);
        var startxref = text.LastIndexOf("startxref", StringComparison.Ordinal);
        if (startxref < 0)
        {
            throw new InvalidDataException("No startxref.");
        }

        var p = SkipSpace(text, startxref + 9);
        var xref = ReadInt(text, ref p);
        if (xref <= 0 || xref >= text.Length || string.CompareOrdinal(text, xref, "xref", 0, 4) != 0)
        {
            throw new InvalidDataException("No cross-reference table where startxref points (a cross-reference stream?).");
        }

        // The table: subsections "first count", then count entries of "offset generation n|f".
        var offsets = new Dictionary<int, int>();
        p = SkipSpace(text, xref + 4);
        while (p < text.Length && char.IsAsciiDigit(text[p]))
        {
            var first = ReadInt(text, ref p);
            p = SkipSpace(text, p);
            var count = ReadInt(text, ref p);
            for (var i = 0; i < count; i++)
            {
                p = SkipSpace(text, p);
                var offset = ReadInt(text, ref p);
                p = SkipSpace(text, p);
                _ = ReadInt(text, ref p);
                p = SkipSpace(text, p);
                if (text[p] == 'n')
                {
                    offsets[first + i] = offset;
                }
                else if (text[p] != 'f')
                {
                    throw new InvalidDataException("Damaged cross-reference table.");
                }

                p++;
            }

            p = SkipSpace(text, p);
        }

        if (string.CompareOrdinal(text, p, "trailer", 0, 7) != 0)
        {
            throw new InvalidDataException("No trailer after the cross-reference table.");
        }

        p = SkipSpace(text, p + 7);
        var trailer = RawDictionary.Parse(text, p, out _);
        var objects = new SortedDictionary<int, RawObject>();
        foreach (var (number, offset) in offsets)
        {
            objects[number] = ReadObject(pdf, text, number, offset);
        }

        var headerLength = offsets.Count == 0 ? xref : offsets.Values.Min();
        return new RawPdf(pdf[..headerLength], objects, trailer);
    }

    private static RawObject ReadObject(byte[] pdf, string text, int number, int offset)
    {
        var p = offset;
        if (ReadInt(text, ref p) != number)
        {
            throw new InvalidDataException($"Object {number} is not where the cross-reference table says.");
        }

        p = SkipSpace(text, p);
        var generation = ReadInt(text, ref p);
        p = SkipSpace(text, p);
        if (string.CompareOrdinal(text, p, "obj", 0, 3) != 0)
        {
            throw new InvalidDataException($"Object {number}: no 'obj'.");
        }

        p = SkipSpace(text, p + 3);
        if (string.CompareOrdinal(text, p, "<<", 0, 2) != 0)
        {
            var end = RawDictionary.SkipValue(text, p);
            Expect(text, SkipSpace(text, end), "endobj", number);
            return new RawObject(number, generation, null, text[p..end], null);
        }

        var dictionary = RawDictionary.Parse(text, p, out var after);
        p = SkipSpace(text, after);
        if (string.CompareOrdinal(text, p, "stream", 0, 6) != 0)
        {
            Expect(text, p, "endobj", number);
            return new RawObject(number, generation, dictionary, null, null);
        }

        p += 6;
        p += text[p] == '\r' ? 2 : 1; // the end of line after "stream": CR LF or LF
        var length = dictionary.Integer("/Length") ?? throw new InvalidDataException($"Object {number}: the stream length is not a direct number.");
        if (p + length > pdf.Length)
        {
            throw new InvalidDataException($"Object {number}: the stream runs past the end of the file.");
        }

        var data = pdf[p..(p + length)];
        p = SkipSpace(text, p + length);
        Expect(text, p, "endstream", number);
        Expect(text, SkipSpace(text, p + 9), "endobj", number);
        return new RawObject(number, generation, dictionary, null, data);
    }

    private static void Expect(string text, int p, string word, int number)
    {
        if (string.CompareOrdinal(text, p, word, 0, word.Length) != 0)
        {
            throw new InvalidDataException($"Object {number}: '{word}' expected.");
        }
    }

    internal static int SkipSpace(string text, int p)
    {
        while (p < text.Length && (text[p] is ' ' or '\n' or '\r' or '\t' or '\f' or '\0' || text[p] == '%'))
        {
            if (text[p] == '%')
            {
                while (p < text.Length && text[p] is not ('\n' or '\r'))
                {
                    p++;
                }
            }
            else
            {
                p++;
            }
        }

        return p;
    }

    private static int ReadInt(string text, ref int p)
    {
        var start = p;
        while (p < text.Length && char.IsAsciiDigit(text[p]))
        {
            p++;
        }

        return p > start && p - start < 11 ? int.Parse(text.AsSpan(start, p - start), CultureInfo.InvariantCulture)
            : throw new InvalidDataException($"A number expected at byte {start}.");
    }

    /// <summary>Writes the file: every stream without a filter compressed (zlib at <paramref name="level"/>), a new table.</summary>
    public byte[] Write(int level)
    {
        using var output = new MemoryStream();
        output.Write(_header);
        var offsets = new Dictionary<int, (long Offset, int Generation)>();
        void Text(string s) => output.Write(Latin1.GetBytes(s));
        foreach (var o in _objects.Values)
        {
            offsets[o.Number] = (output.Position, o.Generation);
            Text(string.Create(CultureInfo.InvariantCulture, $"{o.Number} {o.Generation} obj\n"));
            if (o.Dictionary is not { } dictionary)
            {
                Text(o.Value!);
            }
            else if (o.Stream is not { } data)
            {
                Text(dictionary.ToString());
            }
            else
            {
                if (dictionary.Get("/Filter") is null)
                {
                    data = Deflate(data, level);
                    dictionary.Set("/Filter", "/FlateDecode");
                }

                dictionary.Set("/Length", data.Length.ToString(CultureInfo.InvariantCulture));
                Text(dictionary.ToString());
                Text("\nstream\n");
                output.Write(data);
                Text("\nendstream");
            }

            Text("\nendobj\n");
        }

        var xref = output.Position;
        var size = Math.Max(offsets.Keys.DefaultIfEmpty(0).Max(), _freed.DefaultIfEmpty(0).Max()) + 1;
        var table = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"xref\n0 {size}\n"));
        for (var n = 0; n < size; n++)
        {
            if (offsets.TryGetValue(n, out var entry))
            {
                table.Append(CultureInfo.InvariantCulture, $"{entry.Offset:D10} {entry.Generation:D5} n \n");
            }
            else
            {
                // A free entry names the next free object number (the list starts at object 0 and ends with 0).
                var next = n + 1;
                while (next < size && offsets.ContainsKey(next))
                {
                    next++;
                }

                table.Append(CultureInfo.InvariantCulture, $"{(next < size ? next : 0):D10} {(n == 0 ? 65535 : 1):D5} f \n");
            }
        }

        Trailer.Set("/Size", size.ToString(CultureInfo.InvariantCulture));
        table.Append("trailer\n").Append(Trailer).Append(CultureInfo.InvariantCulture, $"\nstartxref\n{xref}\n%%EOF\n");
        Text(table.ToString());
        return output.ToArray();
    }

    /// <summary>Zlib-compressed data (FlateDecode).</summary>
    public static byte[] Deflate(byte[] data, int level)
    {
        using var output = new MemoryStream((data.Length / 3) + 64);
        using (var zlib = new ZLibStream(output, new ZLibCompressionOptions { CompressionLevel = level }, leaveOpen: true))
        {
            zlib.Write(data);
        }

        return output.ToArray();
    }

    /// <summary>Decompressed zlib data (FlateDecode).</summary>
    public static byte[] Inflate(byte[] data)
    {
        using var zlib = new ZLibStream(new MemoryStream(data), CompressionMode.Decompress);
        using var output = new MemoryStream(data.Length * 3);
        zlib.CopyTo(output);
        return output.ToArray();
    }
}

/// <summary>A numbered object: a dictionary (with its stream, if any) or another value kept as its text.</summary>
internal sealed class RawObject(int number, int generation, RawDictionary? dictionary, string? value, byte[]? stream)
{
    public int Number { get; } = number;

    public int Generation { get; } = generation;

    public RawDictionary? Dictionary { get; } = dictionary;

    public string? Value { get; } = value;

    /// <summary>The stream's bytes as stored (compressed if the dictionary names a filter).</summary>
    public byte[]? Stream { get; set; } = stream;

    /// <summary>The stream's bytes, decompressed if stored with FlateDecode; null for another filter.</summary>
    public byte[]? Content => Stream is null ? null
        : Dictionary?.Get("/Filter") switch
        {
            null => Stream,
            "/FlateDecode" when Dictionary.Get("/DecodeParms") is null => RawPdf.Inflate(Stream),
            _ => null,
        };

    /// <summary>Replaces the stream's bytes with uncompressed ones (compressed again when the file is written).</summary>
    public void SetContent(byte[] content)
    {
        Dictionary!.Remove("/Filter");
        Dictionary.Remove("/DecodeParms");
        Stream = content;
    }
}

/// <summary>A dictionary's top-level entries, each value kept as its PDF text (names, numbers, references, arrays…).</summary>
internal sealed class RawDictionary
{
    private readonly List<(string Key, string Value)> _entries = [];

    public string? Get(string key) => _entries.FirstOrDefault(e => e.Key == key).Value;

    public int? Integer(string key) =>
        int.TryParse(Get(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    public void Set(string key, string value)
    {
        var i = _entries.FindIndex(e => e.Key == key);
        if (i >= 0)
        {
            _entries[i] = (key, value);
        }
        else
        {
            _entries.Add((key, value));
        }
    }

    public void Remove(string key) => _entries.RemoveAll(e => e.Key == key);

    /// <summary>The object number of a reference <c>12 0 R</c>, or null for any other value.</summary>
    public static int? ReferenceNumber(string? value)
    {
        var parts = value?.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return parts is [var n, _, "R"] && int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;
    }

    public override string ToString()
    {
        var result = new StringBuilder("<<");
        foreach (var (key, value) in _entries)
        {
            result.Append(key);
            if (value.Length > 0 && value[0] is not ('/' or '[' or '<' or '('))
            {
                result.Append(' ');
            }

            result.Append(value);
        }

        return result.Append(">>").ToString();
    }

    /// <summary>The dictionary starting at <paramref name="start"/> ("&lt;&lt;"); <paramref name="end"/> is just after its "&gt;&gt;".</summary>
    public static RawDictionary Parse(string text, int start, out int end)
    {
        if (string.CompareOrdinal(text, start, "<<", 0, 2) != 0)
        {
            throw new InvalidDataException($"A dictionary expected at byte {start}.");
        }

        var dictionary = new RawDictionary();
        var p = RawPdf.SkipSpace(text, start + 2);
        while (string.CompareOrdinal(text, p, ">>", 0, 2) != 0)
        {
            if (p >= text.Length || text[p] != '/')
            {
                throw new InvalidDataException($"A name expected at byte {p}.");
            }

            var keyEnd = SkipValue(text, p);
            var valueStart = RawPdf.SkipSpace(text, keyEnd);
            var valueEnd = SkipValue(text, valueStart);
            dictionary._entries.Add((text[p..keyEnd], text[valueStart..valueEnd]));
            p = RawPdf.SkipSpace(text, valueEnd);
        }

        end = p + 2;
        return dictionary;
    }

    /// <summary>Where the value starting at <paramref name="p"/> ends: a name, number, reference, string, array or dictionary.</summary>
    public static int SkipValue(string text, int p)
    {
        if (p >= text.Length)
        {
            throw new InvalidDataException("A value expected at the end of the file.");
        }

        switch (text[p])
        {
            case '/':
                p++;
                while (p < text.Length && !IsDelimiter(text[p]))
                {
                    p++;
                }

                return p;
            case '(':
                for (int depth = 0, i = p; i < text.Length; i++)
                {
                    if (text[i] == '\\')
                    {
                        i++;
                    }
                    else if (text[i] == '(')
                    {
                        depth++;
                    }
                    else if (text[i] == ')' && --depth == 0)
                    {
                        return i + 1;
                    }
                }

                throw new InvalidDataException("An unterminated string.");
            case '<' when p + 1 < text.Length && text[p + 1] == '<':
                p = RawPdf.SkipSpace(text, p + 2);
                while (string.CompareOrdinal(text, p, ">>", 0, 2) != 0)
                {
                    p = RawPdf.SkipSpace(text, SkipValue(text, p));
                }

                return p + 2;
            case '<':
                var close = text.IndexOf('>', p);
                return close > 0 ? close + 1 : throw new InvalidDataException("An unterminated hex string.");
            case '[':
                p = RawPdf.SkipSpace(text, p + 1);
                while (p < text.Length && text[p] != ']')
                {
                    p = RawPdf.SkipSpace(text, SkipValue(text, p));
                }

                return p < text.Length ? p + 1 : throw new InvalidDataException("An unterminated array.");
            default:
                var end = Token(text, p);
                if (end == p)
                {
                    throw new InvalidDataException($"A value expected at byte {p}.");
                }

                // A reference "12 0 R" is one value.
                var second = RawPdf.SkipSpace(text, end);
                var secondEnd = Token(text, second);
                var r = RawPdf.SkipSpace(text, secondEnd);
                return IsInteger(text, p, end) && IsInteger(text, second, secondEnd) && r < text.Length && text[r] == 'R'
                    && (r + 1 == text.Length || IsDelimiter(text[r + 1])) ? r + 1 : end;
        }
    }

    private static int Token(string text, int p)
    {
        while (p < text.Length && !IsDelimiter(text[p]))
        {
            p++;
        }

        return p;
    }

    private static bool IsInteger(string text, int start, int end)
    {
        if (end <= start)
        {
            return false;
        }

        for (var i = start; i < end; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsDelimiter(char c) => c is ' ' or '\n' or '\r' or '\t' or '\f' or '\0' or '/' or '[' or ']' or '<' or '>' or '(' or ')' or '%';
}
