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

    /// <summary>The issuing department's code when <see cref="Authority"/> is a department (null: the centre): its certificate
    /// signs the document when it has one of its own (<see cref="IDocumentSigner"/>).</summary>
    public string? IssuerCode { get; init; }
}

/// <summary>
/// Renders notices as A4 PDFs with PDFsharp (AGPL, see docs/decisions/0002): embedded, subset CJK TrueType
/// faces from a font chain (<see cref="CjkFont"/>, docs/decisions/0012), our own line breaking, real text
/// (searchable and copyable). Every text goes through <see cref="DrawText"/> and <see cref="MeasureText"/>, which
/// draw and measure each character with the first face of the chain that has it.
/// </summary>
public sealed class DocumentRenderer
{
    private const double Margin = 72; // 2.54 cm
    private static readonly Lock Gate = new();
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Family, double Size, bool Bold), XFont> Fonts = new();
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(XFont Font, string Text), double> Widths = new();
    private static CjkFont? _font;
    [ThreadStatic]
    private static MemoryStream? _saveBuffer;

    private readonly IReadOnlyList<string> _configuredFonts;
    private readonly ILogger? _logger;

    public DocumentRenderer(IConfiguration configuration, ILogger<DocumentRenderer>? logger = null)
    {
        _configuredFonts = ConfiguredFonts(configuration);
        _logger = logger;
    }

    /// <summary>The configured fonts: Documents:FontPath (one file, as before) first, then the list Documents:FontPaths.</summary>
    public static IReadOnlyList<string> ConfiguredFonts(IConfiguration configuration) =>
        [.. new[] { configuration["Documents:FontPath"] }
            .Concat(configuration.GetSection("Documents:FontPaths").GetChildren().Select(c => c.Value))
            .OfType<string>().Where(p => p.Length > 0)];

    /// <summary>False to keep PDFsharp's own output (uncompressed, every font with the whole face's glyph tables): for
    /// tests that compare it with the compacted document.</summary>
    internal bool Compacts { get; init; } = true;

    /// <summary>The font chain, loading it on first use; throws <see cref="FontMissingException"/> when there is no font at all.</summary>
    public CjkFont Font
    {
        get
        {
            lock (Gate)
            {
                if (_font is null)
                {
                    var font = CjkFont.Load(_configuredFonts);
                    PdfSharpLicense.SetAgplLicense();
                    GlobalFontSettings.FontResolver = font;
                    _font = font;
                    _logger?.LogInformation("Document fonts, in the order characters are looked up: {Fonts}", string.Join("; ", font.Describe()));
                }

                return _font;
            }
        }
    }

    /// <summary>A font of a chain family at a size (XFont objects are cached; they are immutable). The default
    /// family is the reduced main face; <see cref="DrawText"/> picks the other families per character.</summary>
    public XFont FontOf(double size, bool bold = false, string family = CjkFont.Family)
    {
        _ = Font;
        return XFontOf(family, size, bold);
    }

    private static XFont XFontOf(string family, double size, bool bold) =>
        Fonts.GetOrAdd((family, size, bold), k =>
            new XFont(k.Family, k.Size, k.Bold ? XFontStyleEx.Bold : XFontStyleEx.Regular, new XPdfFontOptions(PdfFontEncoding.Unicode)));

    /// <summary>Every text a document draws: its content and the layouts' fixed wording.</summary>
    public static IEnumerable<string?> Texts(DocumentContent content) =>
        new[] { content.Title, content.DocumentNumber, content.Authority }
            .Concat(content.Fields.SelectMany(f => new[] { f.Label, f.Value }))
            .Concat(content.Paragraphs)
            .Concat(CertificateRenderer.FixedTexts);

    /// <summary>The characters of the document that no font of the chain has: they print as <see cref="CjkFont.Placeholder"/>.
    /// Each is one whole character (a surrogate pair stays one string).</summary>
    public IReadOnlyList<string> MissingCharacters(DocumentContent content) => Font.Missing(Texts(content));

    /// <summary>The characters of the texts that no font of the chain has, for a warning before printing
    /// (e.g. the names and values of a case).</summary>
    public IReadOnlyList<string> MissingCharacters(IEnumerable<string?> texts) => Font.Missing(texts);

    /// <summary>Draws a text in the font's size and weight, each character in the first face of the chain that has
    /// it, on one baseline. The text in the reduced main face alone (the common case) is one ordinary DrawString.</summary>
    public static void DrawText(XGraphics gfx, string text, XFont font, XBrush brush, XRect rect, XStringFormat format)
    {
        var chain = _font ?? throw new InvalidOperationException("The font chain is loaded by DocumentRenderer.Font before drawing.");
        if (chain.IsPlain(text))
        {
            gfx.DrawString(text, font, brush, rect, format);
            return;
        }

        var segments = chain.Segments(text).Select(s => (s.Text, Font: XFontOf(s.Family, font.Size, font.Bold))).ToList();
        var widths = segments.Select(s => gfx.MeasureString(s.Text, s.Font).Width).ToList();
        var total = widths.Sum();
        var x = format.Alignment switch
        {
            XStringAlignment.Center => rect.X + ((rect.Width - total) / 2),
            XStringAlignment.Far => rect.Right - total,
            _ => rect.X,
        };

        // Every run sits on the baseline PDFsharp gives the main font in the rectangle. Checked equal for Near, the
        // line alignment all layouts use; Center and Far follow the same metrics but were not compared.
        var lineSpace = font.GetHeight();
        var ascent = lineSpace * font.CellAscent / font.CellSpace;
        var descent = lineSpace * font.CellDescent / font.CellSpace;
        var baseline = format.LineAlignment switch
        {
            XLineAlignment.Center => rect.Y + ((rect.Height - lineSpace) / 2) + ascent,
            XLineAlignment.Far => rect.Bottom - descent,
            XLineAlignment.BaseLine => rect.Y,
            _ => rect.Y + ascent,
        };
        for (var i = 0; i < segments.Count; i++)
        {
            gfx.DrawString(segments[i].Text, segments[i].Font, brush, x, baseline, XStringFormats.Default);
            x += widths[i];
        }
    }

    /// <summary>The width of a text drawn by <see cref="DrawText"/>: each run measured in its own face.</summary>
    public static double MeasureText(XGraphics gfx, string text, XFont font)
    {
        var chain = _font ?? throw new InvalidOperationException("The font chain is loaded by DocumentRenderer.Font before measuring.");
        return chain.IsPlain(text)
            ? gfx.MeasureString(text, font).Width
            : chain.Segments(text).Sum(s => gfx.MeasureString(s.Text, XFontOf(s.Family, font.Size, font.Bold)).Width);
    }

    /// <summary>A width measure for line breaking: single characters' widths are cached per font (the same few
    /// thousand characters recur in every document, and PDFsharp's measuring is comparatively slow). A character
    /// outside the main face is measured in the face that draws it.</summary>
    public static Func<string, double> Measure(XGraphics gfx, XFont font) =>
        s => s.Length > 2 ? MeasureText(gfx, s, font) : Widths.GetOrAdd((font, s), k => MeasureText(gfx, k.Text, k.Font));

    /// <summary>Draws a QR code's dark modules as vector rectangles: each horizontal run of dark modules, stretched down
    /// over the rows below that have the same run (the same picture as one square per module, with far fewer drawing
    /// operations), in a coordinate system of one unit per module, so that the page's content holds small integers.</summary>
    public static void DrawModules(XGraphics gfx, bool[][] modules, double x, double y, double size)
    {
        var state = gfx.Save();
        gfx.TranslateTransform(x, y);
        gfx.ScaleTransform(size / modules.Length);
        var open = new Dictionary<(int Start, int End), int>(); // runs of the row above, with the row they began on
        for (var row = 0; row <= modules.Length; row++)
        {
            var runs = new HashSet<(int Start, int End)>();
            for (var col = 0; row < modules.Length && col < modules[row].Length; col++)
            {
                if (modules[row][col])
                {
                    var start = col;
                    while (col + 1 < modules[row].Length && modules[row][col + 1])
                    {
                        col++;
                    }

                    runs.Add((start, col + 1));
                }
            }

            foreach (var (run, top) in open.Where(o => !runs.Contains(o.Key)).ToList())
            {
                gfx.DrawRectangle(XBrushes.Black, run.Start, top, run.End - run.Start, row - top);
                open.Remove(run);
            }

            foreach (var run in runs)
            {
                open.TryAdd(run, row);
            }
        }

        gfx.Restore(state);
    }

    public byte[] Render(DocumentContent content)
    {
        _ = Font;
        using var document = new PdfDocument();
        // Saved uncompressed: FontCompactor cuts the fonts to the used glyphs and then compresses every stream once.
        document.Options.NoCompression = true;
        document.Options.CompressContentStreams = false;
        document.Info.Title = content.Title;
        document.Info.Creator = "云溪县网上行政审批系统";
        if (content.Layout is { } layout)
        {
            CertificateRenderer.Draw(document, content, layout, new DocumentFonts(this));
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
            DrawText(gfx, text, font, XBrushes.Black, new XRect(x, y, width, lineHeight), XStringFormats.TopLeft);
            y += lineHeight;
        }

        DrawText(gfx, content.Title, title, XBrushes.Black, new XRect(Margin, y, width, 30), XStringFormats.TopCenter);
        y += 34;
        if (content.DocumentNumber is not null)
        {
            DrawText(gfx, content.DocumentNumber, small, XBrushes.Black, new XRect(Margin, y, width, 16), XStringFormats.TopCenter);
            y += 28;
        }

        var labelWidth = Math.Min(width / 2, Math.Max(110.0, content.Fields.Select(f => MeasureText(gfx, f.Label + "：", body) + 8).DefaultIfEmpty(0).Max()));
        foreach (var (label, value) in content.Fields)
        {
            var lines = CjkLayout.Wrap(value, width - labelWidth, Measure(gfx, body));
            NewPageIfNeeded(20);
            DrawText(gfx, label + "：", body, XBrushes.Black, new XRect(Margin, y, labelWidth, 20), XStringFormats.TopLeft);
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
            var modules = CertificateTypes.QrModules(payload);
            NewPageIfNeeded(110);
            DrawModules(gfx, modules, Margin + width - 100, y, 100);
        }

        var signatureX = content.QrPayload is null ? Margin + (width / 2) : Margin + (width / 4);
        Line(content.Authority, body, signatureX, 22);
        Line(content.Date.ToString("yyyy年M月d日", System.Globalization.CultureInfo.InvariantCulture), body, signatureX, 22);
        gfx.Dispose();
        return Save(document);
    }

    private byte[] Save(PdfDocument document)
    {
        // PDFsharp writes some 200 KB uncompressed: into a buffer kept per thread, not a new large object each time.
        var stream = _saveBuffer ??= new MemoryStream(256 * 1024);
        stream.SetLength(0);
        document.Save(stream, false);
        var pdf = stream.GetBuffer().AsMemory(0, (int)stream.Length);
        try
        {
            // PDFsharp embeds each font with the whole face's glyph tables and writes a wrong text-layer entry for a
            // character beyond the BMP: FontCompactor cuts the fonts to the used glyphs, mends the text layer, compresses.
            return Compacts ? FontCompactor.Compact(pdf) : pdf.ToArray();
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or ArgumentException or IndexOutOfRangeException or OverflowException)
        {
            // Not laid out as PDFsharp 6.5 writes a file (a new PDFsharp?): still a correct document, uncompressed.
            _logger?.LogError(e, "A document could not be compacted; it is stored as PDFsharp wrote it");
            return ToUnicodeRepair.Repair(pdf.ToArray(), PdfFlateEncodeMode.Default);
        }
        finally
        {
            if (stream.Capacity > 1024 * 1024)
            {
                _saveBuffer = null; // an unusually large document: let its buffer go
            }
        }
    }
}

/// <summary>The fonts of one document at any size: the reduced main face, which <see cref="DocumentRenderer.DrawText"/>
/// completes per character from the rest of the chain.</summary>
public sealed class DocumentFonts(DocumentRenderer renderer)
{
    public XFont FontOf(double size, bool bold = false) => renderer.FontOf(size, bold);
}
