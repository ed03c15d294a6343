using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ApprovalSystem.Web.Documents;

/// <summary>
/// Appends a signature to a finished PDF as an incremental update (ISO 32000-1 §7.5.6, §12.8): the original bytes stay
/// exactly as they are, followed by a signature dictionary (/ByteRange and a zero-filled /Contents placeholder), an
/// invisible signature field on the first page, the catalog with its /AcroForm, and a cross-reference section with /Prev.
/// The caller signs the bytes outside the placeholder (<see cref="SignedBytes"/>) and writes the CMS into it
/// (<see cref="Embed"/>). Written for our own documents (a classic cross-reference table, as <see cref="RawPdf"/> reads).
/// </summary>
internal sealed partial class PdfSignatureUpdate
{
    private const string ByteRangePlaceholder = "/ByteRange [0 ********** ********** **********]";

    private static readonly Encoding Latin1 = Encoding.Latin1;

    private readonly byte[] _file;
    private readonly int _contentsStart;
    private readonly int _contentsEnd;

    private PdfSignatureUpdate(byte[] file, int contentsStart, int contentsEnd)
    {
        _file = file;
        _contentsStart = contentsStart;
        _contentsEnd = contentsEnd;
    }

    /// <summary>The room for the CMS in bytes (the placeholder holds twice as many hex digits).</summary>
    public int Capacity => (_contentsEnd - _contentsStart - 2) / 2;

    /// <summary>The file with the update appended and the /ByteRange filled; /Contents still zeros.</summary>
    /// <param name="capacity">The room for the signature (its DER length at most).</param>
    /// <param name="signedAt">The signing time, written as /M (PAdES puts the time here, not in the CMS).</param>
    public static PdfSignatureUpdate Prepare(byte[] pdf, int capacity, DateTimeOffset signedAt, string organ, string reason)
    {
        var file = RawPdf.Parse(pdf);
        var rootRef = file.Trailer.Get("/Root");
        var catalog = file.Resolve(rootRef) is { Dictionary: { } c } root ? (root, c) : throw new InvalidDataException("No document catalog.");
        if (catalog.c.Get("/AcroForm") is not null)
        {
            throw new InvalidDataException("The document has a form already; only our own documents are signed here.");
        }

        var page = FirstPage(file, catalog.c) ?? throw new InvalidDataException("The document has no page.");
        var size = file.Trailer.Integer("/Size") ?? throw new InvalidDataException("No /Size in the trailer.");
        var previous = StartXref(pdf);
        var signatureNumber = size;
        var fieldNumber = size + 1;

        var output = new MemoryStream(pdf.Length + (2 * capacity) + 2048);
        output.Write(pdf);
        if (pdf[^1] is not ((byte)'\n' or (byte)'\r'))
        {
            output.WriteByte((byte)'\n');
        }

        var offsets = new SortedDictionary<int, (long Offset, int Generation)>();
        void Text(string s) => output.Write(Latin1.GetBytes(s));
        void Object(int number, int generation, string body)
        {
            offsets[number] = (output.Position, generation);
            Text(string.Create(CultureInfo.InvariantCulture, $"{number} {generation} obj\n{body}\nendobj\n"));
        }

        // The signature dictionary first: its /Contents is found again by position.
        var time = signedAt.ToOffset(TimeSpan.FromHours(8));
        var m = "D:" + time.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "+08'00'";
        var head = $"<</Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached {ByteRangePlaceholder} /Contents <";
        offsets[signatureNumber] = (output.Position, 0);
        Text(string.Create(CultureInfo.InvariantCulture, $"{signatureNumber} 0 obj\n{head}"));
        var contentsStart = (int)output.Position - 1;
        output.Write(Enumerable.Repeat((byte)'0', 2 * capacity).ToArray());
        Text($"> /M ({m}) /Name {TextString(organ)} /Reason {TextString(reason)}>>\nendobj\n");
        var contentsEnd = contentsStart + (2 * capacity) + 2;

        var pageRef = $"{page.Number} {page.Generation} R";
        Object(fieldNumber, 0, $"<</Type /Annot /Subtype /Widget /FT /Sig /T (Signature1) /V {signatureNumber} 0 R /F 132 /Rect [0 0 0 0] /P {pageRef}>>");

        page.Dictionary!.Set("/Annots", page.Dictionary.Get("/Annots") switch
        {
            null => $"[{fieldNumber} 0 R]",
            ['[', .. var inner] => $"[{inner.TrimEnd().TrimEnd(']')} {fieldNumber} 0 R]",
            _ => throw new InvalidDataException("The first page's annotations are not a direct array."),
        });
        Object(page.Number, page.Generation, page.Dictionary.ToString());

        // PAdES signatures (ETSI.CAdES.detached) are an extension of PDF 1.7 (ETSI EN 319 142-1, ESIC level 2).
        catalog.c.Set("/AcroForm", $"<</Fields [{fieldNumber} 0 R] /SigFlags 3>>");
        catalog.c.Set("/Version", "/1.7");
        catalog.c.Set("/Extensions", "<</ESIC <</BaseVersion /1.7 /ExtensionLevel 2>>>>");
        Object(catalog.root.Number, catalog.root.Generation, catalog.c.ToString());

        var xref = output.Position;
        var table = new StringBuilder("xref\n");
        foreach (var (number, (offset, generation)) in offsets)
        {
            table.Append(CultureInfo.InvariantCulture, $"{number} 1\n{offset:D10} {generation:D5} n \n");
        }

        var trailer = new RawDictionary();
        trailer.Set("/Size", (fieldNumber + 1).ToString(CultureInfo.InvariantCulture));
        trailer.Set("/Root", rootRef!);
        foreach (var key in new[] { "/Info", "/ID" })
        {
            if (file.Trailer.Get(key) is { } value)
            {
                trailer.Set(key, value);
            }
        }

        trailer.Set("/Prev", previous.ToString(CultureInfo.InvariantCulture));
        table.Append("trailer\n").Append(trailer).Append(CultureInfo.InvariantCulture, $"\nstartxref\n{xref}\n%%EOF\n");
        Text(table.ToString());

        var bytes = output.ToArray();
        var byteRange = string.Create(CultureInfo.InvariantCulture, $"/ByteRange [0 {contentsStart} {contentsEnd} {bytes.Length - contentsEnd}]")
            .PadRight(ByteRangePlaceholder.Length);
        var signatureAt = (int)offsets[signatureNumber].Offset;
        var at = bytes.AsSpan(signatureAt, contentsStart - signatureAt).IndexOf(Latin1.GetBytes(ByteRangePlaceholder));
        if (byteRange.Length != ByteRangePlaceholder.Length || at < 0)
        {
            throw new InvalidOperationException("The byte range does not fit its placeholder.");
        }

        Latin1.GetBytes(byteRange).CopyTo(bytes, signatureAt + at);
        return new PdfSignatureUpdate(bytes, contentsStart, contentsEnd);
    }

    /// <summary>The bytes the signature covers: everything but the /Contents hex string.</summary>
    public byte[] SignedBytes() => [.. _file.AsSpan(0, _contentsStart), .. _file.AsSpan(_contentsEnd)];

    /// <summary>The signed file: the CMS written into the placeholder as hex (zeros after it).</summary>
    public byte[] Embed(byte[] cms)
    {
        if (cms.Length > Capacity)
        {
            throw new InvalidOperationException($"The signature ({cms.Length} bytes) is larger than its room ({Capacity} bytes).");
        }

        Latin1.GetBytes(Convert.ToHexString(cms)).CopyTo(_file, _contentsStart + 1);
        return _file;
    }

    /// <summary>A text string for any characters: UTF-16BE with its byte order mark, in hex.</summary>
    internal static string TextString(string text) => "<FEFF" + Convert.ToHexString(Encoding.BigEndianUnicode.GetBytes(text)) + ">";

    private static RawObject? FirstPage(RawPdf file, RawDictionary catalog)
    {
        var node = file.Resolve(catalog.Get("/Pages"));
        for (var depth = 0; node?.Dictionary is { } d && depth < 32; depth++)
        {
            if (d.Get("/Type") == "/Page")
            {
                return node;
            }

            node = d.Get("/Kids") is { } kids && Reference().Match(kids) is { Success: true } first ? file.Resolve(first.Value) : null;
        }

        return null;
    }

    private static int StartXref(byte[] pdf)
    {
        var at = pdf.AsSpan().LastIndexOf("startxref"u8);
        var p = RawPdf.SkipSpace(pdf, at + 9);
        var end = p;
        while (end < pdf.Length && char.IsAsciiDigit((char)pdf[end]))
        {
            end++;
        }

        return at >= 0 && end > p ? int.Parse(pdf.AsSpan(p, end - p), CultureInfo.InvariantCulture) : throw new InvalidDataException("No startxref.");
    }

    [GeneratedRegex(@"\d+\s+\d+\s+R")]
    private static partial Regex Reference();
}
