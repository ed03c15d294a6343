using System.Globalization;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace ApprovalSystem.Web.Documents;

/// <summary>
/// Draws certificates in their type's layout with PDFsharp vector graphics: frames, rules, the seal
/// and the QR code are paths (sharp at any print resolution), all text is real, searchable text.
/// </summary>
public static class CertificateRenderer
{
    private static readonly XColor SealRed = XColor.FromArgb(190, 200, 16, 16);
    private static readonly XColor FrameBrown = XColor.FromArgb(255, 150, 60, 30);
    private static readonly XBrush LabelFill = new XSolidBrush(XColor.FromArgb(255, 242, 242, 242));

    /// <summary>The layouts' own wording (beside the content), checked against the reduced font like the content.</summary>
    public static readonly IReadOnlyList<string> FixedTexts =
    [
        "中华人民共和国", "　　根据《中华人民共和国建筑法》第八条规定，经审查，本建筑工程符合施工条件，准予施工。", "注意事项：",
        "发证机关（盖章）", "登记机关", "扫描二维码核验证照状态", "：　0123456789年月日",
    ];

    public static void Draw(PdfDocument document, DocumentContent content, CertificateLayout layout, DocumentFonts renderer)
    {
        var page = document.AddPage();
        page.Size = PageSize.A4;
        if (layout == CertificateLayout.Licence)
        {
            page.Orientation = PageOrientation.Landscape;
        }

        using var gfx = XGraphics.FromPdfPage(page);
        var w = page.Width.Point;
        var h = page.Height.Point;
        switch (layout)
        {
            case CertificateLayout.Grid:
                Grid(gfx, content, renderer, w, h);
                break;
            case CertificateLayout.Ornate:
                Ornate(gfx, content, renderer, w, h);
                break;
            case CertificateLayout.Permit:
                Permit(gfx, content, renderer, w, h);
                break;
            case CertificateLayout.Licence:
                Licence(gfx, content, renderer, w, h);
                break;
        }
    }

    /// <summary>Double border, ruled table of labels and values (食品经营许可证).</summary>
    private static void Grid(XGraphics gfx, DocumentContent content, DocumentFonts r, double w, double h)
    {
        gfx.DrawRectangle(new XPen(XColors.Black, 2.5), 24, 24, w - 48, h - 48);
        gfx.DrawRectangle(new XPen(XColors.Black, 0.8), 30, 30, w - 60, h - 60);
        Centered(gfx, content.Title, r.FontOf(28, bold: true), w, 62);
        Centered(gfx, content.DocumentNumber ?? "", r.FontOf(11), w, 106);

        var x = 60.0;
        var y = 135.0;
        var labelWidth = 130.0;
        var valueWidth = w - 120 - labelWidth;
        var body = r.FontOf(12);
        var pen = new XPen(XColors.Black, 0.8);
        foreach (var (label, value) in content.Fields)
        {
            var lines = CjkLayout.Wrap(value, valueWidth - 16, DocumentRenderer.Measure(gfx, body));
            var height = (lines.Count * 18) + 12;
            gfx.DrawRectangle(pen, LabelFill, x, y, labelWidth, height);
            gfx.DrawRectangle(pen, x + labelWidth, y, valueWidth, height);
            DocumentRenderer.DrawText(gfx, label, body, XBrushes.Black, new XRect(x, y + 6, labelWidth, 18), XStringFormats.TopCenter);
            for (var i = 0; i < lines.Count; i++)
            {
                DocumentRenderer.DrawText(gfx, lines[i], body, XBrushes.Black, new XRect(x + labelWidth + 8, y + 6 + (i * 18), valueWidth - 16, 18),
                    XStringFormats.TopLeft);
            }

            y += height;
        }

        Notes(gfx, content, r.FontOf(10), x, y + 14, w - 120);
        Qr(gfx, content.QrPayload, x, h - 190, 100);
        Issuer(gfx, content, r, w - 230, h - 150);
    }

    /// <summary>Ornamented triple border with corner marks, underlined lines (公共场所卫生许可证).</summary>
    private static void Ornate(XGraphics gfx, DocumentContent content, DocumentFonts r, double w, double h)
    {
        var green = XColor.FromArgb(255, 20, 90, 60);
        gfx.DrawRectangle(new XPen(green, 3), 26, 26, w - 52, h - 52);
        gfx.DrawRectangle(new XPen(green, 1), 34, 34, w - 68, h - 68);
        gfx.DrawRectangle(new XPen(green, 0.6) { DashStyle = XDashStyle.Dash }, 40, 40, w - 80, h - 80);
        var brush = new XSolidBrush(green);
        foreach (var (cx, cy) in new[] { (34.0, 34.0), (w - 34, 34.0), (34.0, h - 34), (w - 34, h - 34) })
        {
            // A diamond on each corner of the inner frame.
            gfx.DrawPolygon(brush, [new XPoint(cx, cy - 10), new XPoint(cx + 10, cy), new XPoint(cx, cy + 10), new XPoint(cx - 10, cy)], XFillMode.Winding);
        }

        Centered(gfx, content.Title, r.FontOf(30, bold: true), w, 90);
        Centered(gfx, content.DocumentNumber ?? "", r.FontOf(12), w, 140);
        var body = r.FontOf(14);
        var x = 100.0;
        var valueX = 260.0;
        var valueWidth = w - valueX - 90;
        var y = 190.0;
        var rule = new XPen(XColors.Black, 0.6);
        foreach (var (label, value) in content.Fields)
        {
            DocumentRenderer.DrawText(gfx, label + "：", body, XBrushes.Black, new XRect(x, y, valueX - x, 22), XStringFormats.TopLeft);
            foreach (var line in CjkLayout.Wrap(value, valueWidth, DocumentRenderer.Measure(gfx, body)))
            {
                DocumentRenderer.DrawText(gfx, line, body, XBrushes.Black, new XRect(valueX, y, valueWidth, 22), XStringFormats.TopLeft);
                gfx.DrawLine(rule, valueX, y + 21, valueX + valueWidth, y + 21);
                y += 30;
            }

            y += 6;
        }

        Notes(gfx, content, r.FontOf(10), x, y + 10, w - 200);
        Qr(gfx, content.QrPayload, 80, h - 200, 100);
        Issuer(gfx, content, r, w - 240, h - 160);
    }

    /// <summary>"中华人民共和国" heading, two-column ruled table, notes box (建筑工程施工许可证).</summary>
    private static void Permit(XGraphics gfx, DocumentContent content, DocumentFonts r, double w, double h)
    {
        gfx.DrawRectangle(new XPen(XColors.Black, 2), 36, 36, w - 72, h - 72);
        Centered(gfx, "中华人民共和国", r.FontOf(16), w, 60);
        Centered(gfx, content.Title, r.FontOf(26, bold: true), w, 86);
        DocumentRenderer.DrawText(gfx, content.DocumentNumber ?? "", r.FontOf(11), XBrushes.Black, new XRect(60, 128, w - 120, 16), XStringFormats.TopRight);
        var body = r.FontOf(11);
        var y = 150.0;
        foreach (var line in CjkLayout.Wrap("　　根据《中华人民共和国建筑法》第八条规定，经审查，本建筑工程符合施工条件，准予施工。", w - 120, DocumentRenderer.Measure(gfx, body)))
        {
            DocumentRenderer.DrawText(gfx, line, body, XBrushes.Black, new XRect(60, y, w - 120, 18), XStringFormats.TopLeft);
            y += 18;
        }

        y += 8;
        var x = 60.0;
        var total = w - 120;
        var label = 72.0;
        var half = total / 2;
        var pen = new XPen(XColors.Black, 0.8);
        var fields = content.Fields.ToList();
        for (var i = 0; i < fields.Count;)
        {
            // Short values share a row two by two; a long one takes the whole row.
            var pair = i + 1 < fields.Count && fields[i].Value.Length <= 14 && fields[i + 1].Value.Length <= 14;
            var cells = pair ? new[] { fields[i], fields[i + 1] } : [fields[i]];
            var cellWidth = pair ? half : total;
            var rows = cells.Select(f => CjkLayout.Wrap(f.Value, cellWidth - label - 12, DocumentRenderer.Measure(gfx, body))).ToList();
            var height = (rows.Max(l => l.Count) * 16) + 12;
            for (var c = 0; c < cells.Length; c++)
            {
                var cx = x + (c * half);
                gfx.DrawRectangle(pen, LabelFill, cx, y, label, height);
                gfx.DrawRectangle(pen, cx + label, y, cellWidth - label, height);
                DocumentRenderer.DrawText(gfx, cells[c].Label, body, XBrushes.Black, new XRect(cx, y + 6, label, 16), XStringFormats.TopCenter);
                for (var l = 0; l < rows[c].Count; l++)
                {
                    DocumentRenderer.DrawText(gfx, rows[c][l], body, XBrushes.Black, new XRect(cx + label + 6, y + 6 + (l * 16), cellWidth - label - 12, 16),
                        XStringFormats.TopLeft);
                }
            }

            y += height;
            i += cells.Length;
        }

        // The notes box 注意事项.
        var small = r.FontOf(9);
        var notes = content.Paragraphs.SelectMany(p => CjkLayout.Wrap(p, total - 16, DocumentRenderer.Measure(gfx, small))).ToList();
        var boxTop = y + 14;
        gfx.DrawRectangle(pen, x, boxTop, total, (notes.Count * 14) + 28);
        DocumentRenderer.DrawText(gfx, "注意事项：", r.FontOf(10, bold: true), XBrushes.Black, new XRect(x + 8, boxTop + 6, total, 14), XStringFormats.TopLeft);
        for (var i = 0; i < notes.Count; i++)
        {
            DocumentRenderer.DrawText(gfx, notes[i], small, XBrushes.Black, new XRect(x + 8, boxTop + 22 + (i * 14), total - 16, 14), XStringFormats.TopLeft);
        }

        Qr(gfx, content.QrPayload, x, h - 180, 90);
        Issuer(gfx, content, r, w - 240, h - 140, "发证机关（盖章）");
    }

    /// <summary>Landscape page in a patterned frame, QR on the left, two columns of fields (营业执照).</summary>
    private static void Licence(XGraphics gfx, DocumentContent content, DocumentFonts r, double w, double h)
    {
        var frame = new XSolidBrush(FrameBrown);
        gfx.DrawRectangle(new XPen(FrameBrown, 4), 16, 16, w - 32, h - 32);
        gfx.DrawRectangle(new XPen(FrameBrown, 1), 42, 42, w - 84, h - 84);

        // A band of diamonds between the two frame lines.
        const double step = 14;
        var across = (int)((w - 60) / step) + 1;
        var down = (int)((h - 60 - (2 * step)) / step) + 1;
        DiamondRow(gfx, frame, 30, 29, step, 0, across);
        DiamondRow(gfx, frame, 30, h - 29, step, 0, across);
        DiamondRow(gfx, frame, 29, 30 + step, 0, step, down);
        DiamondRow(gfx, frame, w - 29, 30 + step, 0, step, down);

        Centered(gfx, content.Title, r.FontOf(40, bold: true), w, 62);
        var body = r.FontOf(12);
        var fields = content.Fields.ToList();
        if (fields.Count > 0)
        {
            DocumentRenderer.DrawText(gfx, $"{fields[0].Label}　{fields[0].Value}", body, XBrushes.Black, new XRect(70, 124, 400, 18), XStringFormats.TopLeft);
            fields.RemoveAt(0);
        }

        DocumentRenderer.DrawText(gfx, content.DocumentNumber ?? "", r.FontOf(10), XBrushes.Black, new XRect(w - 300, 124, 230, 18), XStringFormats.TopRight);
        Qr(gfx, content.QrPayload, 70, 160, 110);
        DocumentRenderer.DrawText(gfx, "扫描二维码核验证照状态", r.FontOf(8), XBrushes.Black, new XRect(70, 274, 110, 12), XStringFormats.TopCenter);

        var leftCount = (fields.Count + 1) / 2;
        Column(gfx, fields.Take(leftCount), body, 210, 160, 280);
        Column(gfx, fields.Skip(leftCount), body, 520, 160, 250);
        Issuer(gfx, content, r, w - 260, h - 150, "登记机关");
        DocumentRenderer.DrawText(gfx, content.Paragraphs.Count > 0 ? content.Paragraphs[0] : "", r.FontOf(9), XBrushes.Black, new XRect(0, h - 66, w, 12),
            XStringFormats.TopCenter);
    }

    private static void Column(XGraphics gfx, IEnumerable<(string Label, string Value)> fields, XFont font, double x, double y, double width)
    {
        const double label = 78;
        foreach (var (name, value) in fields)
        {
            DocumentRenderer.DrawText(gfx, name, font, XBrushes.Black, new XRect(x, y, label, 18), XStringFormats.TopLeft);
            foreach (var line in CjkLayout.Wrap(value, width - label, DocumentRenderer.Measure(gfx, font)).Take(6))
            {
                DocumentRenderer.DrawText(gfx, line, font, XBrushes.Black, new XRect(x + label, y, width - label, 18), XStringFormats.TopLeft);
                y += 18;
            }

            y += 8;
        }
    }

    /// <summary>Diamonds one step apart, each drawn at the origin of a shifted coordinate system: the content stream then
    /// repeats one short text that compresses to almost nothing (a band of 140 diamonds at their own coordinates took 2 KB).</summary>
    private static void DiamondRow(XGraphics gfx, XBrush brush, double x, double y, double dx, double dy, int count)
    {
        var state = gfx.Save();
        gfx.TranslateTransform(x, y);
        for (var i = 0; i < count; i++)
        {
            Diamond(gfx, brush, 0, 0, 5);
            gfx.TranslateTransform(dx, dy);
        }

        gfx.Restore(state);
    }

    private static void Diamond(XGraphics gfx, XBrush brush, double cx, double cy, double r) =>
        gfx.DrawPolygon(brush, [new XPoint(cx, cy - r), new XPoint(cx + r, cy), new XPoint(cx, cy + r), new XPoint(cx - r, cy)], XFillMode.Winding);

    private static void Centered(XGraphics gfx, string text, XFont font, double pageWidth, double y) =>
        DocumentRenderer.DrawText(gfx, text, font, XBrushes.Black, new XRect(0, y, pageWidth, font.Size * 1.4), XStringFormats.TopCenter);

    private static void Notes(XGraphics gfx, DocumentContent content, XFont font, double x, double y, double width)
    {
        foreach (var line in content.Paragraphs.SelectMany(p => CjkLayout.Wrap(p, width, DocumentRenderer.Measure(gfx, font))))
        {
            DocumentRenderer.DrawText(gfx, line, font, XBrushes.Black, new XRect(x, y, width, 14), XStringFormats.TopLeft);
            y += 14;
        }
    }

    /// <summary>The authority and the date, with a round red seal drawn over them.</summary>
    private static void Issuer(XGraphics gfx, DocumentContent content, DocumentFonts r, double x, double y, string? caption = null)
    {
        var body = r.FontOf(12);
        if (caption is not null)
        {
            DocumentRenderer.DrawText(gfx, caption, r.FontOf(10), XBrushes.Black, new XRect(x, y - 18, 200, 14), XStringFormats.TopCenter);
        }

        DocumentRenderer.DrawText(gfx, content.Authority, body, XBrushes.Black, new XRect(x, y, 200, 18), XStringFormats.TopCenter);
        DocumentRenderer.DrawText(gfx, content.Date.ToString("yyyy年M月d日", CultureInfo.InvariantCulture), body, XBrushes.Black, new XRect(x, y + 22, 200, 18),
            XStringFormats.TopCenter);
        var cx = x + 100;
        var cy = y + 12;
        gfx.DrawEllipse(new XPen(SealRed, 2.5), cx - 44, cy - 44, 88, 88);
        var star = Enumerable.Range(0, 10).Select(i =>
        {
            var radius = i % 2 == 0 ? 14 : 5.6;
            var angle = (-Math.PI / 2) + (i * Math.PI / 5);
            return new XPoint(cx + (radius * Math.Cos(angle)), cy - 14 + (radius * Math.Sin(angle)));
        }).ToArray();
        gfx.DrawPolygon(new XSolidBrush(SealRed), star, XFillMode.Winding);
    }

    private static void Qr(XGraphics gfx, string? payload, double x, double y, double size)
    {
        if (payload is null)
        {
            return;
        }

        // Dark modules as vector squares: sharp at any print resolution, no image decoding needed.
        var modules = CertificateTypes.QrModules(payload);
        DocumentRenderer.DrawModules(gfx, modules, x, y, size);
    }
}
