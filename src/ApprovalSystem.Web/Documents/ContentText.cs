using System.Globalization;
using System.Text;

namespace ApprovalSystem.Web.Documents;

/// <summary>A piece of a content stream, bytes <paramref name="Start"/> to <paramref name="End"/>: the font operand of a Tf
/// (<paramref name="IsFontName"/>) or a string shown in <paramref name="Font"/>, with its 2-byte codes (null for a literal string,
/// which <see cref="ContentText"/> does not decode).</summary>
internal sealed record ContentPiece(int Start, int End, string Font, bool IsFontName, ushort[]? Codes);

/// <summary>
/// The text of a page's content stream as PDFsharp writes it: each <c>Tf</c> font operand and each string shown by
/// <c>Tj</c>, <c>'</c>, <c>"</c> or <c>TJ</c>, with the font it is shown in; and the stream with such pieces replaced.
/// Enough to renumber the codes of Identity-H fonts (docs/decisions/0018). Inline images and PostScript braces are
/// refused with <see cref="InvalidDataException"/>.
/// </summary>
internal static class ContentText
{
    /// <summary>The font operands of Tf and the shown strings, in order.</summary>
    public static List<ContentPiece> Read(ReadOnlySpan<byte> content)
    {
        var pieces = new List<ContentPiece>();
        var operands = new List<(int Start, int End, char Kind)>(); // kind: '/' name, '<' hex, '(' literal, '[' ']', 'n' other
        var font = "";
        for (var p = RawPdf.SkipSpace(content, 0); p < content.Length; p = RawPdf.SkipSpace(content, p))
        {
            var c = content[p];
            if (c is (byte)'[' or (byte)']')
            {
                operands.Add((p, p + 1, (char)c));
                p++;
                continue;
            }

            if (c is (byte)'{' or (byte)'}' or (byte)')' or (byte)'>')
            {
                throw new InvalidDataException($"Unexpected '{(char)c}' in a content stream at byte {p}.");
            }

            if (c is (byte)'/' or (byte)'(' or (byte)'<')
            {
                var end = RawDictionary.SkipValue(content, p);
                operands.Add((p, end, c == '<' && p + 1 < content.Length && content[p + 1] == '<' ? 'n' : (char)c));
                p = end;
                continue;
            }

            var tokenEnd = p;
            while (tokenEnd < content.Length && !IsDelimiter(content[tokenEnd]))
            {
                tokenEnd++;
            }

            var token = Encoding.ASCII.GetString(content[p..tokenEnd]);
            if (c is (byte)'+' or (byte)'-' or (byte)'.' || char.IsAsciiDigit((char)c))
            {
                operands.Add((p, tokenEnd, 'n'));
                p = tokenEnd;
                continue;
            }

            switch (token)
            {
                case "BI" or "ID" or "EI":
                    throw new InvalidDataException("An inline image in a content stream.");
                case "Tf" when operands is [.., var name, _] && name.Kind == '/':
                    font = Encoding.ASCII.GetString(content[name.Start..name.End]);
                    pieces.Add(new ContentPiece(name.Start, name.End, font, true, null));
                    break;
                case "Tj" or "'" or "\"" when operands.Count > 0:
                    pieces.Add(Shown(content, operands[^1], font));
                    break;
                case "TJ":
                    foreach (var o in operands.Where(o => o.Kind is '<' or '('))
                    {
                        pieces.Add(Shown(content, o, font));
                    }

                    break;
                default:
                    break;
            }

            operands.Clear();
            p = tokenEnd == p ? p + 1 : tokenEnd;
        }

        return pieces;
    }

    /// <summary>The content with each piece that <paramref name="replace"/> gives text for replaced by that text.</summary>
    public static byte[] Rewrite(ReadOnlySpan<byte> content, IEnumerable<ContentPiece> pieces, Func<ContentPiece, string?> replace)
    {
        using var output = new MemoryStream(content.Length);
        var at = 0;
        foreach (var piece in pieces.OrderBy(p => p.Start))
        {
            if (replace(piece) is { } text)
            {
                output.Write(content[at..piece.Start]);
                output.Write(Encoding.ASCII.GetBytes(text));
                at = piece.End;
            }
        }

        output.Write(content[at..]);
        return output.ToArray();
    }

    /// <summary>A hex string of 2-byte codes.</summary>
    public static string Hex(IEnumerable<int> codes)
    {
        var hex = new StringBuilder("<");
        foreach (var code in codes)
        {
            hex.Append(CultureInfo.InvariantCulture, $"{code:X4}");
        }

        return hex.Append('>').ToString();
    }

    private static ContentPiece Shown(ReadOnlySpan<byte> content, (int Start, int End, char Kind) operand, string font)
    {
        if (operand.Kind == '(')
        {
            return new ContentPiece(operand.Start, operand.End, font, false, null);
        }

        if (operand.Kind != '<')
        {
            throw new InvalidDataException($"A string expected before a text operator at byte {operand.Start}.");
        }

        var digits = new List<int>();
        foreach (var d in content[(operand.Start + 1)..(operand.End - 1)])
        {
            if (char.IsAsciiHexDigit((char)d))
            {
                digits.Add(Convert.ToInt32(((char)d).ToString(), 16));
            }
            else if (!char.IsWhiteSpace((char)d))
            {
                throw new InvalidDataException($"Not a hex string at byte {operand.Start}.");
            }
        }

        if (digits.Count % 4 != 0)
        {
            throw new InvalidDataException($"A hex string of {digits.Count} digits is not 2-byte codes (byte {operand.Start}).");
        }

        var codes = new ushort[digits.Count / 4];
        for (var i = 0; i < codes.Length; i++)
        {
            codes[i] = (ushort)((digits[4 * i] << 12) | (digits[(4 * i) + 1] << 8) | (digits[(4 * i) + 2] << 4) | digits[(4 * i) + 3]);
        }

        return new ContentPiece(operand.Start, operand.End, font, false, codes);
    }

    private static bool IsDelimiter(byte c) =>
        c is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t' or (byte)'\f' or 0 or (byte)'/' or (byte)'[' or (byte)']' or (byte)'<' or (byte)'>'
            or (byte)'(' or (byte)')' or (byte)'%' or (byte)'{' or (byte)'}';
}
