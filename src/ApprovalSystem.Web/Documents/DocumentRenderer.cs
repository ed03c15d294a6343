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
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Family, double Size, bool Bold), XFont> Fonts = new();
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(XFont Font, string Text), double> Widths = new();
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

    /// <summary>A font of the CJK face at a size (XFont objects are cached; they are immutable). The default family
    /// is the reduced face; pass <see cref="CjkFont.FullFamily"/> for text outside it (see <see cref="FamilyFor"/>).</summary>
    public XFont FontOf(double size, bool bold = false, string family = CjkFont.Family)
    {
        _ = Font;
        return Fonts.GetOrAdd((family, size, bold), k => new XFont(k.Family, k.Size, k.Bold ? XFontStyleEx.Bold : XFontStyleEx.Regular, new XPdfFontOptions(PdfFontEncoding.Unicode)));
    }

    /// <summary>The font family a document is drawn in: the reduced face when it has every character of the
    /// document (its content and the layouts' fixed wording), else the whole face.</summary>
    public string FamilyFor(DocumentContent content) =>
        Font.FamilyFor(
            new[] { content.Title, content.DocumentNumber, content.Authority }
                .Concat(content.Fields.SelectMany(f => new[] { f.Label, f.Value }))
                .Concat(content.Paragraphs)
                .Concat(CertificateRenderer.FixedTexts));

    /// <summary>A width measure for line breaking: single characters' widths are cached per font (the same few
    /// thousand characters recur in every document, and PDFsharp's measuring is comparatively slow).</summary>
    public static Func<string, double> Measure(XGraphics gfx, XFont font) =>
        s => s.Length > 2 ? gfx.MeasureString(s, font).Width : Widths.GetOrAdd((font, s), k => gfx.MeasureString(k.Text, k.Font).Width);

    /// <summary>Draws a QR code's dark modules as vector rectangles, one per horizontal run of dark modules
    /// (the same picture as one square per module, with far fewer drawing operations).</summary>
    public static void DrawModules(XGraphics gfx, bool[][] modules, double x, double y, double size)
    {
        var cell = size / modules.Length;
        for (var row = 0; row < modules.Length; row++)
        {
            var col = 0;
            while (col < modules[row].Length)
            {
                if (!modules[row][col])
                {
                    col++;
                    continue;
                }

                var start = col;
                while (col < modules[row].Length && modules[row][col])
                {
                    col++;
                }

                gfx.DrawRectangle(XBrushes.Black, x + (start * cell), y + (row * cell), (col - start) * cell, cell);
            }
        }
    }

    public byte[] Render(DocumentContent content)
    {
        var family = FamilyFor(content);
        using var document = new PdfDocument();
        // With the reduced font, fast compression keeps certificates at 50–70 KB and saves about half the save time.
        document.Options.FlateEncodeMode = PdfFlateEncodeMode.BestSpeed;
        document.Info.Title = content.Title;
        document.Info.Creator = "云溪县网上行政审批系统";
        if (content.Layout is { } layout)
        {
            CertificateRenderer.Draw(document, content, layout, new DocumentFonts(this, family));
            return Save(document);
        }

        var title = FontOf(20, bold: true, family);
        var body = FontOf(12, family: family);
        var small = FontOf(10, family: family);

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
            var lines = CjkLayout.Wrap(value, width - labelWidth, Measure(gfx, body));
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
            var lines = CjkLayout.Wrap("　　" + paragraph, width, Measure(gfx, body));
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
            DrawModules(gfx, modules, Margin + width - 100, y, 100);
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

/// <summary>The fonts of one document: one family (reduced or whole face) at any size.</summary>
public sealed class DocumentFonts(DocumentRenderer renderer, string family)
{
    public string Family => family;

    public XFont FontOf(double size, bool bold = false) => renderer.FontOf(size, bold, family);
}
