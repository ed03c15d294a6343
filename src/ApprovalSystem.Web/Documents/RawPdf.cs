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

    private readonly ReadOnlyMemory<byte> _header;
    private readonly SortedDictionary<int, RawObject> _objects;
    private readonly SortedSet<int> _freed = [];

    private RawPdf(ReadOnlyMemory<byte> header, SortedDictionary<int, RawObject> objects, RawDictionary trailer)
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

    /// <summary>Reads the file's objects; the streams stay slices of <paramref name="pdf"/>, which must not change.</summary>
    public static RawPdf Parse(ReadOnlyMemory<byte> pdf)
    {
        var b = pdf.Span;
        var startxref = b.LastIndexOf("startxref"u8);
        if (startxref < 0)
        {
            throw new InvalidDataException("No startxref.");
        }

        var p = SkipSpace(b, startxref + 9);
        var xref = ReadInt(b, ref p);
        if (xref <= 0 || xref >= b.Length || !b[xref..].StartsWith("xref"u8))
        {
            throw new InvalidDataException("No cross-reference table where startxref points (a cross-reference stream?).");
        }

        // The table: subsections "first count", then count entries of "offset generation n|f".
        var offsets = new Dictionary<int, int>();
        p = SkipSpace(b, xref + 4);
        while (p < b.Length && char.IsAsciiDigit((char)b[p]))
        {
            var first = ReadInt(b, ref p);
            p = SkipSpace(b, p);
            var count = ReadInt(b, ref p);
            for (var i = 0; i < count; i++)
            {
                p = SkipSpace(b, p);
                var offset = ReadInt(b, ref p);
                p = SkipSpace(b, p);
                _ = ReadInt(b, ref p);
                p = SkipSpace(b, p);
                if (p < b.Length && b[p] == 'n')
                {
                    offsets[first + i] = offset;
                }
                else if (p >= b.Length || b[p] != 'f')
                {
                    throw new InvalidDataException("Damaged cross-reference table.");
                }

                p++;
            }

            p = SkipSpace(b, p);
        }

        if (!b[p..].StartsWith("trailer"u8))
        {
            throw new InvalidDataException("No trailer after the cross-reference table.");
        }

        var trailer = RawDictionary.Parse(b, SkipSpace(b, p + 7), out _);
        var objects = new SortedDictionary<int, RawObject>();
        foreach (var (number, offset) in offsets)
        {
            objects[number] = ReadObject(pdf, number, offset);
        }

        return new RawPdf(pdf[..(offsets.Count == 0 ? xref : offsets.Values.Min())], objects, trailer);
    }

    private static RawObject ReadObject(ReadOnlyMemory<byte> pdf, int number, int offset)
    {
        var b = pdf.Span;
        var p = offset;
        if (offset >= b.Length || ReadInt(b, ref p) != number)
        {
            throw new InvalidDataException($"Object {number} is not where the cross-reference table says.");
        }

        p = SkipSpace(b, p);
        var generation = ReadInt(b, ref p);
        p = SkipSpace(b, p);
        Expect(b, p, "obj"u8, number);
        p = SkipSpace(b, p + 3);
        if (!b[p..].StartsWith("<<"u8))
        {
            var end = RawDictionary.SkipValue(b, p);
            Expect(b, SkipSpace(b, end), "endobj"u8, number);
            return new RawObject(number, generation, null, Latin1.GetString(b[p..end]), null);
        }

        var dictionary = RawDictionary.Parse(b, p, out var after);
        p = SkipSpace(b, after);
        if (!b[p..].StartsWith("stream"u8))
        {
            Expect(b, p, "endobj"u8, number);
            return new RawObject(number, generation, dictionary, null, null);
        }

        p += 6;
        p += p < b.Length && b[p] == '\r' ? 2 : 1; // the end of line after "stream": CR LF or LF
        var length = dictionary.Integer("/Length") ?? throw new InvalidDataException($"Object {number}: the stream length is not a direct number.");
        if (length < 0 || p + length > b.Length)
        {
            throw new InvalidDataException($"Object {number}: the stream runs past the end of the file.");
        }

        var data = pdf.Slice(p, length);
        p = SkipSpace(b, p + length);
        Expect(b, p, "endstream"u8, number);
        Expect(b, SkipSpace(b, p + 9), "endobj"u8, number);
        return new RawObject(number, generation, dictionary, null, data);
    }

    private static void Expect(ReadOnlySpan<byte> b, int p, ReadOnlySpan<byte> word, int number)
    {
        if (p > b.Length || !b[p..].StartsWith(word))
        {
            throw new InvalidDataException($"Object {number}: '{Latin1.GetString(word)}' expected.");
        }
    }

    internal static int SkipSpace(ReadOnlySpan<byte> b, int p)
    {
        while (p < b.Length && (b[p] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t' or (byte)'\f' or 0 || b[p] == '%'))
        {
            if (b[p] == '%')
            {
                while (p < b.Length && b[p] is not ((byte)'\n' or (byte)'\r'))
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

    private static int ReadInt(ReadOnlySpan<byte> b, ref int p)
    {
        var start = p;
        var value = 0L;
        while (p < b.Length && b[p] is >= (byte)'0' and <= (byte)'9' && p - start < 10)
        {
            value = (value * 10) + (b[p] - '0');
            p++;
        }

        return p > start && value <= int.MaxValue ? (int)value : throw new InvalidDataException($"A number expected at byte {start}.");
    }

    /// <summary>Writes the file: every stream without a filter compressed (zlib at <paramref name="level"/>, a stream whose
    /// dictionary is in <paramref name="levels"/> at its own level), the objects numbered 1..n in their order (the numbers of
    /// removed objects are not kept as free entries, 20 bytes each), a new table.</summary>
    public byte[] Write(int level, IReadOnlyDictionary<RawObject, int>? levels = null)
    {
        using var output = new MemoryStream(16 * 1024);
        output.Write(_header.Span);
        var numbers = new Dictionary<int, int>();
        foreach (var o in _objects.Values)
        {
            numbers[o.Number] = numbers.Count + 1;
        }

        var offsets = new Dictionary<int, (long Offset, int Generation)>();
        void Text(string s) => output.Write(Latin1.GetBytes(s));
        foreach (var o in _objects.Values)
        {
            var number = numbers[o.Number];
            offsets[number] = (output.Position, o.Generation);
            Text(string.Create(CultureInfo.InvariantCulture, $"{number} {o.Generation} obj\n"));
            if (o.Dictionary is not { } dictionary)
            {
                Text(Renumber(o.Value!, numbers));
            }
            else if (o.Stream is not { } data)
            {
                Text(Renumber(dictionary.ToString(), numbers));
            }
            else
            {
                if (dictionary.Get("/Filter") is null)
                {
                    data = Deflate(data.Span, levels?.GetValueOrDefault(o, level) ?? level);
                    dictionary.Set("/Filter", "/FlateDecode");
                }

                dictionary.Set("/Length", data.Length.ToString(CultureInfo.InvariantCulture));
                Text(Renumber(dictionary.ToString(), numbers));
                Text("\nstream\n");
                output.Write(data.Span);
                Text("\nendstream");
            }

            Text("\nendobj\n");
        }
        var xref = output.Position;
        var size = offsets.Count + 1;
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
        table.Append("trailer\n").Append(Renumber(Trailer.ToString(), numbers)).Append(CultureInfo.InvariantCulture, $"\nstartxref\n{xref}\n%%EOF\n");
        Text(table.ToString());
        return output.ToArray();
    }

    /// <summary>The text of a value with each reference <c>n g R</c> outside strings pointing to object <paramref name="numbers"/>[n]
    /// (past the last object if n is not there).</summary>
    internal static string Renumber(string value, IReadOnlyDictionary<int, int> numbers)
    {
        StringBuilder? result = null;
        var copied = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '(')
            {
                for (var depth = 0; i < value.Length; i++)
                {
                    if (value[i] == '\\')
                    {
                        i++;
                    }
                    else if (value[i] == '(')
                    {
                        depth++;
                    }
                    else if (value[i] == ')' && --depth == 0)
                    {
                        break;
                    }
                }
            }
            else if (c == '<' && i + 1 < value.Length && value[i + 1] == '<')
            {
                i++; // a dictionary
            }
            else if (c == '<')
            {
                i = value.IndexOf('>', i);
                i = i < 0 ? value.Length : i;
            }
            else if (char.IsAsciiDigit(c) && (i == 0 || RawDictionary.IsDelimiter((byte)value[i - 1])))
            {
                // "n g R": digits, white space, digits, white space, R and a delimiter (or the end).
                var end = RawDictionary.Past(value, i, char.IsAsciiDigit);
                var g = RawDictionary.Past(value, end, RawDictionary.IsSpace);
                var gEnd = RawDictionary.Past(value, g, char.IsAsciiDigit);
                var r = RawDictionary.Past(value, gEnd, RawDictionary.IsSpace);

                if (end < value.Length && RawDictionary.IsSpace(value[end]) && gEnd > g && r > gEnd && r < value.Length && value[r] == 'R'
                    && (r + 1 == value.Length || RawDictionary.IsDelimiter((byte)value[r + 1])))
                {
                    var old = int.Parse(value.AsSpan(i, end - i), NumberStyles.None, CultureInfo.InvariantCulture);
                    // A reference to a removed object points past the table, which a reader takes as null (as a free entry was).
                    var number = numbers.GetValueOrDefault(old, numbers.Count + 1);
                    result ??= new StringBuilder(value.Length);
                    result.Append(value, copied, i - copied).Append(number.ToString(CultureInfo.InvariantCulture));
                    copied = end;
                    i = r;
                }
                else
                {
                    i = end - 1;
                }
            }
        }

        return result is null ? value : result.Append(value, copied, value.Length - copied).ToString();
    }

    /// <summary>Zlib-compressed data (FlateDecode).</summary>
    public static byte[] Deflate(ReadOnlySpan<byte> data, int level)
    {
        using var output = new MemoryStream((data.Length / 3) + 64);
        using (var zlib = new ZLibStream(output, new ZLibCompressionOptions { CompressionLevel = level }, leaveOpen: true))
        {
            zlib.Write(data);
        }

        return output.ToArray();
    }

    /// <summary>Decompressed zlib data (FlateDecode).</summary>
    public static byte[] Inflate(ReadOnlyMemory<byte> data)
    {
        using var zlib = new ZLibStream(new MemoryStream(data.ToArray()), CompressionMode.Decompress);
        using var output = new MemoryStream(data.Length * 3);
        zlib.CopyTo(output);
        return output.ToArray();
    }
}

/// <summary>A numbered object: a dictionary (with its stream, if any) or another value kept as its text.</summary>
internal sealed class RawObject(int number, int generation, RawDictionary? dictionary, string? value, ReadOnlyMemory<byte>? stream)
{
    public int Number { get; } = number;

    public int Generation { get; } = generation;

    public RawDictionary? Dictionary { get; } = dictionary;

    public string? Value { get; } = value;

    /// <summary>The stream's bytes as stored (compressed if the dictionary names a filter).</summary>
    public ReadOnlyMemory<byte>? Stream { get; set; } = stream;

    /// <summary>The stream's bytes, decompressed if stored with FlateDecode; null for another filter.</summary>
    public ReadOnlyMemory<byte>? Content => Stream is not { } stream ? null
        : Dictionary?.Get("/Filter") switch
        {
            null => stream,
            "/FlateDecode" when Dictionary.Get("/DecodeParms") is null => RawPdf.Inflate(stream),
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

    public IReadOnlyList<(string Key, string Value)> Entries => _entries;

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
    public static RawDictionary Parse(ReadOnlySpan<byte> b, int start, out int end)
    {
        if (start > b.Length || !b[start..].StartsWith("<<"u8))
        {
            throw new InvalidDataException($"A dictionary expected at byte {start}.");
        }

        var dictionary = new RawDictionary();
        var p = RawPdf.SkipSpace(b, start + 2);
        while (!b[p..].StartsWith(">>"u8))
        {
            if (p >= b.Length || b[p] != '/')
            {
                throw new InvalidDataException($"A name expected at byte {p}.");
            }

            var keyEnd = SkipValue(b, p);
            var valueStart = RawPdf.SkipSpace(b, keyEnd);
            var valueEnd = SkipValue(b, valueStart);
            dictionary._entries.Add((Encoding.Latin1.GetString(b[p..keyEnd]), Encoding.Latin1.GetString(b[valueStart..valueEnd])));
            p = RawPdf.SkipSpace(b, valueEnd);
        }

        end = p + 2;
        return dictionary;
    }

    /// <summary>Where the value starting at <paramref name="p"/> ends: a name, number, reference, string, array or dictionary.</summary>
    public static int SkipValue(ReadOnlySpan<byte> b, int p)
    {
        if (p >= b.Length)
        {
            throw new InvalidDataException("A value expected at the end of the file.");
        }

        switch (b[p])
        {
            case (byte)'/':
                return Token(b, p + 1);
            case (byte)'(':
                for (int depth = 0, i = p; i < b.Length; i++)
                {
                    if (b[i] == '\\')
                    {
                        i++;
                    }
                    else if (b[i] == '(')
                    {
                        depth++;
                    }
                    else if (b[i] == ')' && --depth == 0)
                    {
                        return i + 1;
                    }
                }

                throw new InvalidDataException("An unterminated string.");
            case (byte)'<' when p + 1 < b.Length && b[p + 1] == '<':
                p = RawPdf.SkipSpace(b, p + 2);
                while (!b[p..].StartsWith(">>"u8))
                {
                    p = RawPdf.SkipSpace(b, SkipValue(b, p));
                }

                return p + 2;
            case (byte)'<':
                var close = b[p..].IndexOf((byte)'>');
                return close > 0 ? p + close + 1 : throw new InvalidDataException("An unterminated hex string.");
            case (byte)'[':
                p = RawPdf.SkipSpace(b, p + 1);
                while (p < b.Length && b[p] != ']')
                {
                    p = RawPdf.SkipSpace(b, SkipValue(b, p));
                }

                return p < b.Length ? p + 1 : throw new InvalidDataException("An unterminated array.");
            default:
                var end = Token(b, p);
                if (end == p)
                {
                    throw new InvalidDataException($"A value expected at byte {p}.");
                }

                // A reference "12 0 R" is one value.
                var second = RawPdf.SkipSpace(b, end);
                var secondEnd = Token(b, second);
                var r = RawPdf.SkipSpace(b, secondEnd);
                return IsInteger(b[p..end]) && IsInteger(b[second..secondEnd]) && r < b.Length && b[r] == 'R'
                    && (r + 1 == b.Length || IsDelimiter(b[r + 1])) ? r + 1 : end;
        }
    }

    /// <summary>The index past the run of characters matching <paramref name="match"/> that starts at <paramref name="from"/>.</summary>
    internal static int Past(string value, int from, Func<char, bool> match)
    {
        while (from < value.Length && match(value[from]))
        {
            from++;
        }

        return from;
    }

    internal static bool IsSpace(char c) => c is ' ' or '\n' or '\r';

    private static int Token(ReadOnlySpan<byte> b, int p)
    {
        while (p < b.Length && !IsDelimiter(b[p]))
        {
            p++;
        }

        return p;
    }

    private static bool IsInteger(ReadOnlySpan<byte> token) => !token.IsEmpty && !token.ContainsAnyExceptInRange((byte)'0', (byte)'9');

    internal static bool IsDelimiter(byte c) =>
        c is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t' or (byte)'\f' or 0 or (byte)'/' or (byte)'[' or (byte)']' or (byte)'<' or (byte)'>'
            or (byte)'(' or (byte)')' or (byte)'%';
}
