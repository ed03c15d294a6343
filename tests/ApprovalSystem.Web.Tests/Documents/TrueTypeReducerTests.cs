using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using ApprovalSystem.Web.Documents;
using Microsoft.Extensions.Configuration;

namespace ApprovalSystem.Web.Tests.Documents;

/// <summary>The reduced CJK face: few glyphs, valid tables, the same shapes and widths; other characters come from small blocks of a face.</summary>
public sealed class TrueTypeReducerTests
{
    private static readonly CjkFont Font = CjkFont.Load([]);

    private static byte[] FullFace => Font.PrimaryFace;

    private static (string Text, string Fonts) PdfTextAndFonts(byte[] pdf)
    {
        var file = Path.Combine(Path.GetTempPath(), $"reduced-{Guid.NewGuid():N}.pdf");
        File.WriteAllBytes(file, pdf);
        try
        {
            string Run(string tool, params string[] args)
            {
                using var process = Process.Start(new ProcessStartInfo(tool, [.. args, file, .. tool == "pdftotext" ? new[] { "-" } : []]) { RedirectStandardOutput = true })!;
                var output = process.StandardOutput.ReadToEnd();
                process.WaitForExit();
                return output;
            }

            return (Run("pdftotext"), Run("pdffonts"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static Dictionary<string, (int Offset, int Length, uint Checksum)> Tables(byte[] font)
    {
        var tables = new Dictionary<string, (int, int, uint)>(StringComparer.Ordinal);
        for (var i = 0; i < BinaryPrimitives.ReadUInt16BigEndian(font.AsSpan(4)); i++)
        {
            var r = font.AsSpan(12 + (16 * i));
            tables[Encoding.ASCII.GetString(r[..4])] = ((int)BinaryPrimitives.ReadUInt32BigEndian(r[8..]), (int)BinaryPrimitives.ReadUInt32BigEndian(r[12..]), BinaryPrimitives.ReadUInt32BigEndian(r[4..]));
        }

        return tables;
    }

    private static uint Sum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (var i = 0; i + 3 < data.Length; i += 4)
        {
            sum = unchecked(sum + BinaryPrimitives.ReadUInt32BigEndian(data[i..]));
        }

        return sum;
    }

    private static ushort Advance(byte[] font, int glyph)
    {
        var t = Tables(font);
        var metrics = BinaryPrimitives.ReadUInt16BigEndian(font.AsSpan(t["hhea"].Offset + 34));
        return BinaryPrimitives.ReadUInt16BigEndian(font.AsSpan(t["hmtx"].Offset + (4 * Math.Min(glyph, metrics - 1))));
    }

    private static Dictionary<int, int> Cmap(byte[] font)
    {
        var t = Tables(font)["cmap"];
        return TrueTypeReducer.ReadCmap(font.AsSpan(t.Offset, t.Length));
    }

    [Fact]
    public void Reduce_KeepsOnlyTheChosenCharacters_WithTheirOutlinesAndWidths_InAValidFont()
    {
        const string text = "云溪县行政服务中心ABC123，。";

        var reduced = TrueTypeReducer.Reduce(FullFace, text.Select(c => (int)c));

        Assert.InRange(reduced.GlyphCount, text.Length + 1, 3 * text.Length); // + .notdef and composites' components
        Assert.True(reduced.Bytes.Length < 20_000, $"{reduced.Bytes.Length} bytes");
        Assert.True(reduced.Covers(text));
        Assert.False(reduced.Covers("王"));

        var fullMap = Cmap(FullFace);
        var map = Cmap(reduced.Bytes);
        Assert.Equal(text.Distinct().Count(), map.Count);
        var fullTables = Tables(FullFace);
        var tables = Tables(reduced.Bytes);
        foreach (var c in text)
        {
            Assert.Equal(Advance(FullFace, fullMap[c]), Advance(reduced.Bytes, map[c]));
        }

        // The same outline bytes for each character (byte for byte for simple glyphs; composites get new component ids).
        static ReadOnlySpan<byte> Glyph(byte[] font, Dictionary<string, (int Offset, int Length, uint Checksum)> t, int gid)
        {
            var longLoca = BinaryPrimitives.ReadInt16BigEndian(font.AsSpan(t["head"].Offset + 50)) == 1;
            int At(int g) => longLoca ? (int)BinaryPrimitives.ReadUInt32BigEndian(font.AsSpan(t["loca"].Offset + (4 * g))) : 2 * BinaryPrimitives.ReadUInt16BigEndian(font.AsSpan(t["loca"].Offset + (2 * g)));
            return font.AsSpan(t["glyf"].Offset + At(gid), At(gid + 1) - At(gid));
        }

        var simple = 0;
        foreach (var c in text)
        {
            var original = Glyph(FullFace, fullTables, fullMap[c]);
            var copy = Glyph(reduced.Bytes, tables, map[c]);
            Assert.Equal(original.Length, copy.Length - ((4 - (original.Length % 4)) % 4)); // padded to 4 bytes
            if (original.Length > 0 && BinaryPrimitives.ReadInt16BigEndian(original) >= 0)
            {
                Assert.True(original.SequenceEqual(copy[..original.Length]), $"outline of {c}");
                simple++;
            }
        }

        Assert.True(simple > 0);

        // Checksums: every table's, and the whole font's (head.checkSumAdjustment).
        foreach (var (tag, (offset, length, checksum)) in tables)
        {
            var data = reduced.Bytes.AsSpan(offset, (length + 3) & ~3).ToArray();
            if (tag == "head")
            {
                data.AsSpan(8, 4).Clear(); // the head checksum is taken with checkSumAdjustment = 0
            }

            Assert.Equal(checksum, Sum(data));
        }

        Assert.Equal(0xB1B0AFBAu, Sum(reduced.Bytes));
        Assert.Equal((ushort)reduced.GlyphCount, BinaryPrimitives.ReadUInt16BigEndian(reduced.Bytes.AsSpan(tables["maxp"].Offset + 4)));
    }

    [Fact]
    public void DocumentFace_HasGb2312AndPunctuation_InAFractionOfTheGlyphs()
    {
        var reduced = Font.Reduced!;
        var fullGlyphs = BinaryPrimitives.ReadUInt16BigEndian(FullFace.AsSpan(Tables(FullFace)["maxp"].Offset + 4));

        Assert.True(TrueTypeReducer.DocumentCharacters.Count(c => c is >= 0x4E00 and <= 0x9FFF) >= 6763);
        Assert.True(reduced.GlyphCount < fullGlyphs / 3, $"{reduced.GlyphCount} of {fullGlyphs} glyphs");
        Assert.True(reduced.Covers("中华人民共和国食品经营许可证（正本）编号：JY13307990001234《》“”、。—…①℃㎡１２ＡＢ￥·×"));
        Assert.False(reduced.Covers("王堃")); // 堃 is GBK, not GB 2312
    }

    [Fact]
    public void Document_InTheReducedFace_HasItsChineseText()
    {
        var renderer = new DocumentRenderer(new ConfigurationBuilder().Build());
        var content = new DocumentContent("受理通知书", "云溪受字〔2026〕第1号", [("申请人", "王建国"), ("事项", "食品经营许可（新办）")], ["申请材料齐全，符合法定形式，决定予以受理。"], "云溪县行政服务中心", new DateOnly(2026, 11, 23));

        Assert.Empty(renderer.MissingCharacters(content));
        var (text, fonts) = PdfTextAndFonts(renderer.Render(content));

        Assert.Contains("受理通知书", text, StringComparison.Ordinal);
        Assert.Contains("王建国", text, StringComparison.Ordinal);
        Assert.Contains("申请材料齐全，符合法定形式，决定予以受理。", text, StringComparison.Ordinal);
        Assert.Contains("WenQuanYi Micro Hei Reduced", fonts, StringComparison.Ordinal);
        Assert.Single(fonts.Split('\n'), l => l.Contains("CID TrueType", StringComparison.Ordinal)); // one face: the reduced one
    }

    [Fact]
    public void RareCharacterInAName_IsDrawnFromABlockOfTheMainFace_NotTheWholeFace()
    {
        var renderer = new DocumentRenderer(new ConfigurationBuilder().Build());
        var content = new DocumentContent("受理通知书", null, [("申请人", "王堃喆")], ["决定予以受理。"], "云溪县行政服务中心", new DateOnly(2026, 11, 23)) { Layout = CertificateLayout.Grid };

        var pdf = renderer.Render(content);
        var (text, fonts) = PdfTextAndFonts(pdf);
        var drawnFonts = PdfTextAndFonts(new DocumentRenderer(new ConfigurationBuilder().Build()) { Compacts = false }.Render(content)).Fonts;

        Assert.Contains("王堃喆", text, StringComparison.Ordinal);
        Assert.Contains("WenQuanYi Micro Hei Reduced", drawnFonts, StringComparison.Ordinal);
        Assert.Contains("WenQuanYi Micro Hei 58", drawnFonts, StringComparison.Ordinal); // 堃 U+5803: the block U+5800–58FF
        // The stored document has the block's glyph merged into the one font (docs/decisions/0018).
        Assert.Single(fonts.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(2));
        Assert.True(pdf.Length < 100_000, $"{pdf.Length} bytes");
    }

    [Fact]
    public void CharacterInNeitherFace_DoesNotBreakTheDocument()
    {
        var renderer = new DocumentRenderer(new ConfigurationBuilder().Build());
        var content = new DocumentContent("受理通知书", null, [("申请人", "王\U00030000明")], [], "云溪县行政服务中心", new DateOnly(2026, 11, 23));

        var (text, _) = PdfTextAndFonts(renderer.Render(content));

        Assert.Contains("受理通知书", text, StringComparison.Ordinal);
        Assert.Contains("王□明", text, StringComparison.Ordinal); // the placeholder, reported by MissingCharacters
        Assert.Equal(["\U00030000"], renderer.MissingCharacters(content));
    }
}
