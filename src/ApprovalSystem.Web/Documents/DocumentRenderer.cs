using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;

namespace ApprovalSystem.Web.Documents;

/// <summary>What a printed notice says: title, number, a table of facts, paragraphs, the issuer and the date.</summary>
public sealed record DocumentContent(
    string Title,
    string? DocumentNumber,
    IReadOnlyList<(string Label, string Value)> Fields,
    IReadOnlyList<string> Paragraphs,
    string Authority,
    DateOnly Date)
{
    /// <summary>When set, a QR code with this payload is printed at the bottom right (certificates).</summary>
    public string? QrPayload { get; init; }

    /// <summary>When set, the document is a certificate drawn in this layout (see <see cref="CertificateRenderer"/>).</summary>
    public CertificateLayout? Layout { get; init; }
}

/// <summary>
/// Renders notices as A4 PDFs with PDFsharp (AGPL, see docs/decisions/0002): one embedded, subset
/// CJK TrueType face, our own line breaking, real text (searchable and copyable).
/// </summary>
public sealed class DocumentRenderer
{
    private const double Margin = 72; // 2.54 cm
    private static readonly Lock Gate = new();
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(double Size, bool Bold), XFont> Fonts = new();
    private static CjkFont? _font;

    private readonly string? _configuredFont;

    public DocumentRenderer(IConfiguration configuration) => _configuredFont = configuration["Documents:FontPath"];

    /// <summary>The font in use, loading it on first use; throws <see cref="FontMissingException"/> when there is none.</summary>
    public CjkFont Font
    {
        get
        {
            lock (Gate)
            {
                if (_font is null)
                {
                    var font = CjkFont.Load(_configuredFont);
                    PdfSharpLicense.SetAgplLicense();
                    GlobalFontSettings.FontResolver = font;
                    _font = font;
                }

                return _font;
            }
        }
    }

    /// <summary>A font of the CJK face at a size (XFont objects are cached; they are immutable).</summary>
    public XFont FontOf(double size, bool bold = false)
    {
        _ = Font;
        return Fonts.GetOrAdd((size, bold), k => new XFont(CjkFont.Family, k.Size, k.Bold ? XFontStyleEx.Bold : XFontStyleEx.Regular, new XPdfFontOptions(PdfFontEncoding.Unicode)));
    }

    public byte[] Render(DocumentContent content)
    {
        _ = Font;
        using var document = new PdfDocument();
        document.Info.Title = content.Title;
        document.Info.Creator = "云溪县网上行政审批系统";
        if (content.Layout is { } layout)
        {
            CertificateRenderer.Draw(document, content, layout, this);
            return Save(document);
        }

        var title = FontOf(20, bold: true);
        var body = FontOf(12);
        var small = FontOf(10);

        var page = document.AddPage();
        page.Size = PageSize.A4;
        var gfx = XGraphics.FromPdfPage(page);
        var width = page.Width.Point - (2 * Margin);
        var y = Margin;

        void NewPageIfNeeded(double needed)
        {
            if (y + needed <= page.Height.Point - Margin)
            {
                return;
            }

            gfx.Dispose();
            page = document.AddPage();
            page.Size = PageSize.A4;
            gfx = XGraphics.FromPdfPage(page);
            y = Margin;
        }

        void Line(string text, XFont font, double x, double lineHeight)
        {
            NewPageIfNeeded(lineHeight);
            gfx.DrawString(text, font, XBrushes.Black, new XRect(x, y, width, lineHeight), XStringFormats.TopLeft);
            y += lineHeight;
        }

        gfx.DrawString(content.Title, title, XBrushes.Black, new XRect(Margin, y, width, 30), XStringFormats.TopCenter);
        y += 34;
        if (content.DocumentNumber is not null)
        {
            gfx.DrawString(content.DocumentNumber, small, XBrushes.Black, new XRect(Margin, y, width, 16), XStringFormats.TopCenter);
            y += 28;
        }

        var labelWidth = Math.Min(width / 2, Math.Max(110.0, content.Fields.Select(f => gfx.MeasureString(f.Label + "：", body).Width + 8).DefaultIfEmpty(0).Max()));
        foreach (var (label, value) in content.Fields)
        {
            var lines = CjkLayout.Wrap(value, width - labelWidth, s => gfx.MeasureString(s, body).Width);
            NewPageIfNeeded(20);
            gfx.DrawString(label + "：", body, XBrushes.Black, new XRect(Margin, y, labelWidth, 20), XStringFormats.TopLeft);
            foreach (var l in lines)
            {
                Line(l, body, Margin + labelWidth, 20);
            }
        }

        y += 10;
        foreach (var paragraph in content.Paragraphs)
        {
            // First-line indent of two full-width spaces, as Chinese official documents are set.
            var lines = CjkLayout.Wrap("　　" + paragraph, width, s => gfx.MeasureString(s, body).Width);
            foreach (var l in lines)
            {
                Line(l, body, Margin, 22);
            }

            y += 6;
        }

        y += 30;
        if (content.QrPayload is { } payload)
        {
            // Drawn as vector squares: sharp at any print resolution, no image decoding needed.
            var modules = Certificates.QrModules(payload);
            NewPageIfNeeded(110);
            var cell = 100.0 / modules.Length;
            for (var row = 0; row < modules.Length; row++)
            {
                for (var col = 0; col < modules[row].Length; col++)
                {
                    if (modules[row][col])
                    {
                        gfx.DrawRectangle(XBrushes.Black, Margin + width - 100 + (col * cell), y + (row * cell), cell, cell);
                    }
                }
            }
        }

        var signatureX = content.QrPayload is null ? Margin + (width / 2) : Margin + (width / 4);
        Line(content.Authority, body, signatureX, 22);
        Line(content.Date.ToString("yyyy年M月d日", System.Globalization.CultureInfo.InvariantCulture), body, signatureX, 22);
        gfx.Dispose();
        return Save(document);
    }

    private static byte[] Save(PdfDocument document)
    {
        using var stream = new MemoryStream();
        document.Save(stream, false);
        return stream.ToArray();
    }
}
