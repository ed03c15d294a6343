using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using PdfSharp.Pdf;
using PdfSharp.Pdf.Filters;
using PdfSharp.Pdf.IO;

namespace ApprovalSystem.Web.Documents;

/// <summary>
/// Mends the text layer of a PDF with characters beyond the BMP (CJK Extension B: 𠈌). PDFsharp 6.5 draws them
/// with the right glyph but writes their <c>/ToUnicode</c> entry as the bare code point (<c>&lt;2020C&gt;</c>,
/// five digits) instead of UTF-16 (<c>&lt;D840DE0C&gt;</c>), so search, copy and pdftotext get "†" instead of
/// the character. This rewrites each such map as single-glyph entries in UTF-16. Only documents that draw such a
/// character pay for it (the PDF is opened and saved once more, a few milliseconds).
/// </summary>
public static partial class ToUnicodeRepair
{
    private const int BlockEntries = 100; // the most entries a bfchar block may hold

    [GeneratedRegex(@"\d+\s+beginbfrange(?<body>.*?)endbfrange", RegexOptions.Singleline)]
    private static partial Regex RangeBlock();

    // An entry with one destination, at the start of a line (as PDFsharp writes them): not three strings within an entry's array.
    [GeneratedRegex(@"^[ \t]*<(?<lo>[0-9A-Fa-f]+)>\s*<(?<hi>[0-9A-Fa-f]+)>\s*<(?<dest>[0-9A-Fa-f]+)>", RegexOptions.Multiline)]
    private static partial Regex RangeEntry();

    public static byte[] Repair(byte[] pdf, PdfFlateEncodeMode mode)
    {
        using var input = new MemoryStream(pdf);
        using var document = PdfReader.Open(input, PdfDocumentOpenMode.Modify);
        var repaired = false;
        foreach (var map in document.Internals.GetAllObjects().OfType<PdfDictionary>()
                     .Select(d => d.Elements.GetDictionary("/ToUnicode")).OfType<PdfDictionary>().Distinct())
        {
            if (map.Stream is not { } stream)
            {
                continue;
            }

            var text = Encoding.ASCII.GetString(stream.UnfilteredValue);
            var fixedText = Mend(text);
            if (fixedText == text)
            {
                continue;
            }

            map.Elements.SetName("/Filter", "/FlateDecode");
            stream.Value = Filtering.FlateDecode.Encode(Encoding.ASCII.GetBytes(fixedText), mode);
            map.Elements.SetInteger("/Length", stream.Value.Length);
            repaired = true;
        }

        if (!repaired)
        {
            return pdf;
        }

        document.Options.FlateEncodeMode = mode;
        using var output = new MemoryStream();
        document.Save(output, false);
        return output.ToArray();
    }

    /// <summary>True when a CMap has a hex string of five or more digits (a code point beyond the BMP written bare):
    /// a quick test before <see cref="Mend"/>, which only changes such maps.</summary>
    internal static bool MayNeedMending(ReadOnlySpan<byte> cmap)
    {
        var digits = -1; // -1: not in a hex string
        foreach (var c in cmap)
        {
            if (c == '<')
            {
                digits = 0;
            }
            else if (digits >= 0 && char.IsAsciiHexDigit((char)c))
            {
                if (++digits == 5)
                {
                    return true;
                }
            }
            else
            {
                digits = -1;
            }
        }

        return false;
    }

    /// <summary>A CMap with its bfrange entries written as UTF-16 bfchar entries, when one of them maps beyond the BMP.</summary>
    internal static string Mend(string cmap) => RangeBlock().Replace(cmap, block =>
    {
        var entries = new List<(int Glyph, int CodePoint)>();
        var beyond = false;
        foreach (Match e in RangeEntry().Matches(block.Groups["body"].Value))
        {
            var lo = int.Parse(e.Groups["lo"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var hi = int.Parse(e.Groups["hi"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var dest = int.Parse(e.Groups["dest"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            beyond |= dest + (hi - lo) > 0xFFFF;
            for (var g = lo; g <= hi; g++)
            {
                entries.Add((g, dest + (g - lo)));
            }
        }

        if (!beyond)
        {
            return block.Value;
        }

        var result = new StringBuilder();
        foreach (var chunk in entries.Chunk(BlockEntries))
        {
            result.Append(CultureInfo.InvariantCulture, $"{chunk.Length} beginbfchar\n");
            foreach (var (glyph, codePoint) in chunk)
            {
                result.Append(CultureInfo.InvariantCulture, $"<{glyph:X4}><");
                foreach (var unit in Rune.IsValid(codePoint) ? char.ConvertFromUtf32(codePoint) : "\uFFFD")
                {
                    result.Append(CultureInfo.InvariantCulture, $"{(int)unit:X4}");
                }

                result.Append(">\n");
            }

            result.Append("endbfchar\n");
        }

        return result.ToString();
    });
}
