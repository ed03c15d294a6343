using System.Buffers.Binary;
using System.Text;
using ApprovalSystem.Web.Documents;
using Microsoft.Extensions.Configuration;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace ApprovalSystem.Web.Tests.Documents;

/// <summary>The font chain: which face draws which character, whole code points, and what no face has.</summary>
public sealed class FontChainTests
{
    private static readonly DocumentRenderer Renderer = new(new ConfigurationBuilder().Build());

    private static CjkFont Chain => Renderer.Font;

    private static DocumentContent Notice(string name) =>
        new("受理通知书", null, [("申请人", name)], [$"{name}：决定予以受理。"], "云溪县行政服务中心", new DateOnly(2026, 11, 23));

    [Fact]
    public void Chain_HasTheMainFaceFirst_ThenTheFacesForRareCharacters_AndNamesThem()
    {
        Assert.Contains("WenQuanYi", Chain.Faces[0].Name, StringComparison.Ordinal);
        Assert.Contains(Chain.Faces, f => f.Name == "HanaMinA");
        Assert.Contains(Chain.Faces, f => f.Name == "HanaMinB");
        Assert.Contains(Chain.Describe(), l => l.Contains("HanaMinB (/usr/share/fonts/truetype/hanazono/HanaMinB.ttf", StringComparison.Ordinal));

        Assert.Equal(CjkFont.Family, Chain.FamilyOf('王'));
        Assert.StartsWith($"{CjkFont.Family} 0-", Chain.FamilyOf('喆'), StringComparison.Ordinal); // GBK: the main face, outside its reduced set
        Assert.NotNull(Chain.FamilyOf(0x4DAE)); // 䶮, Extension A
        Assert.NotNull(Chain.FamilyOf(0x2020C)); // 𠈌, Extension B
        Assert.Null(Chain.FamilyOf(0x1F984)); // 🦄: no face has it
    }

    [Fact]
    public void FaceWithPostScriptOutlines_IsNotUsed_AndTheReasonIsGiven()
    {
        // An OpenType face with CFF outlines (like Debian's Noto CJK): "OTTO", one table "CFF ".
        var file = Path.Combine(Path.GetTempPath(), $"cff-{Guid.NewGuid():N}.otf");
        var bytes = new byte[12 + 16 + 4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, 0x4F54544F);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(4), 1);
        Encoding.ASCII.GetBytes("CFF ", bytes.AsSpan(12));
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(20), 28);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(24), 4);
        File.WriteAllBytes(file, bytes);
        try
        {
            var chain = CjkFont.Load([file]);

            Assert.DoesNotContain(chain.Faces, f => f.Path == file);
            Assert.Contains(chain.Skipped, s => s.StartsWith(file, StringComparison.Ordinal) && s.Contains("CFF", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Segments_KeepEverySurrogatePairWhole_AndTakeEachCharacterFromTheFirstFaceThatHasIt()
    {
        var text = "王𠈌䶮·阿不都热合曼李喆堃🦄\u200D明";

        var segments = Chain.Segments(text);

        Assert.All(segments, s => Assert.True(s.Text.EnumerateRunes().All(r => r != Rune.ReplacementChar) && !HasLoneSurrogate(s.Text), s.Text));
        Assert.Equal("王𠈌䶮·阿不都热合曼李喆堃□明", string.Concat(segments.Select(s => s.Text))); // joiner dropped, 🦄 replaced
        foreach (var (family, run) in segments)
        {
            Assert.All(run.EnumerateRunes(), r => Assert.Equal(r.Value == '□' ? Chain.FamilyOf('□') : Chain.FamilyOf(r.Value), family));
        }

        static bool HasLoneSurrogate(string s)
        {
            for (var i = 0; i < s.Length; i++)
            {
                if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
                {
                    i++;
                }
                else if (char.IsSurrogate(s[i]))
                {
                    return true;
                }
            }

            return false;
        }
    }

    [Fact]
    public void MissingCharacters_ForTheClerksWarning_NameOnlyWhatNoFontHas_AsWholeCharacters()
    {
        Assert.Empty(Renderer.MissingCharacters(["王𠈌", "䶮·阿不都热合曼", "李喆堃", null, "", "王\u200D明\uFE0F"]));
        Assert.Equal(["🦄", "\uE000"], Renderer.MissingCharacters(["王🦄明", "\uE000", "🦄"]));
    }

    [Fact]
    public void CharacterNoFontHas_IsReported_AndPrintedAsAVisiblePlaceholder()
    {
        var content = Notice("王🦄明");

        var pdf = Renderer.Render(content);

        Assert.Equal(["🦄"], Renderer.MissingCharacters(content));
        Assert.Contains("王□明", IssuedDocumentTests.PdfText(pdf), StringComparison.Ordinal);
    }

    [Fact]
    public void Emoji_IsPrintedWhenAFaceOfTheChainOutlinesIt_ElseReported()
    {
        // HanaMinA has black-and-white outlines for some emoji (😀); PDFsharp draws no colour glyphs, so an emoji
        // no face outlines (🦄) is reported and printed as the placeholder.
        var content = Notice("王😀");
        var outlined = Chain.Faces.Any(f => f.Has(0x1F600));

        var text = IssuedDocumentTests.PdfText(Renderer.Render(content));

        Assert.Equal(outlined ? [] : ["😀"], Renderer.MissingCharacters(content));
        Assert.Contains(outlined ? "王😀" : "王□", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrap_MeasuresRareCharactersInTheirOwnFace_AndNeverSplitsAPair()
    {
        using var document = new PdfDocument();
        using var gfx = XGraphics.FromPdfPage(document.AddPage());
        var font = Renderer.FontOf(12);
        var measure = DocumentRenderer.Measure(gfx, font);
        var text = string.Concat(Enumerable.Repeat("王𠈌䶮喆", 12));

        Assert.Equal(12, measure("𠈌"), 1); // a full-width ideograph of HanaMinB at 12 pt, not the width of a missing glyph
        var lines = CjkLayout.Wrap(text, 100, measure);

        Assert.True(lines.Count > 1);
        Assert.Equal(text, string.Concat(lines));
        Assert.All(lines, l => Assert.True(DocumentRenderer.MeasureText(gfx, l, font) <= 100.01, l));
        Assert.DoesNotContain(lines, l => l.Length > 0 && (char.IsLowSurrogate(l[0]) || char.IsHighSurrogate(l[^1])));
    }
}
