using ApprovalSystem.Core.Identity;

namespace ApprovalSystem.Core.Tests.Identity;

public class MaskingTests
{
    [Theory]
    [InlineData("330799198503120016", "3307**********0016")]
    [InlineData("11010519491231002X", "1101**********002X")]
    public void IdNumber_FullNumber_KeepsFirstAndLastFour(string id, string expected)
    {
        Assert.Equal(expected, Masking.IdNumber(id));
    }

    [Fact]
    public void IdNumber_FullNumber_NeverShowsTheBirthDateOrSequence()
    {
        var masked = Masking.IdNumber("330799198503120016");

        Assert.Equal(18, masked.Length);
        Assert.DoesNotContain("19850312", masked);
        Assert.DoesNotContain("99198503120", masked);
        Assert.Equal(10, masked.Count(c => c == '*'));
    }

    [Theory]
    [InlineData("12345678")]
    [InlineData("1234")]
    [InlineData("1")]
    public void IdNumber_EightCharactersOrFewer_IsMaskedCompletely(string value)
    {
        Assert.Equal(new string('*', value.Length), Masking.IdNumber(value));
    }

    [Fact]
    public void Mobile_ElevenDigits_ShowsFirstThreeAndLastFour()
    {
        Assert.Equal("138****5678", Masking.Mobile("13812345678"));
    }

    [Theory]
    [InlineData("123456")]
    [InlineData("1234567")]
    [InlineData("12345678")]
    public void Mobile_ShortValue_IsNeverShownInFull(string value)
    {
        var masked = Masking.Mobile(value);

        Assert.NotEqual(value, masked);
        Assert.Contains('*', masked);
        Assert.Equal(value.Length, masked.Length);
    }

    [Theory]
    [InlineData("张三明", "张*明")]
    [InlineData("李明", "李*")]
    [InlineData("欧阳娜娜", "欧**娜")]
    [InlineData("王", "王")]
    public void PersonName_KeepsFirstAndLastCharacterOnly(string name, string expected)
    {
        Assert.Equal(expected, Masking.PersonName(name));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Masking_NothingToMask_GivesEmptyString(string? value)
    {
        Assert.Equal("", Masking.IdNumber(value));
        Assert.Equal("", Masking.Mobile(value));
        Assert.Equal("", Masking.PersonName(value));
    }

    [Theory]
    [InlineData("王𠈌", "王*")]
    [InlineData("𠈌王", "𠈌*")]
    [InlineData("李𠈌明", "李*明")]
    [InlineData("张喆𠈌", "张*𠈌")]
    [InlineData("䶮", "䶮")]
    [InlineData("阿不都·热合曼", "阿**·**曼")]
    [InlineData("王😀", "王*")]
    public void PersonName_CountsCharactersNotUtf16Units_AndKeepsTheMiddleDot(string name, string expected)
    {
        var masked = Masking.PersonName(name);

        Assert.Equal(expected, masked);
        Assert.True(IsWellFormed(masked), $"broken surrogate in {masked}");
    }

    [Fact]
    public void IdNumberAndMobile_WithCharactersOutsideTheBmp_StayWellFormed()
    {
        // Not a real ID number: a value typed wrong must still mask to well-formed text with one star per character.
        var masked = Masking.IdNumber("𠈌𠈌𠈌𠈌123456789𠈌𠈌𠈌𠈌");
        Assert.True(IsWellFormed(masked));
        Assert.Equal("𠈌𠈌𠈌𠈌*********𠈌𠈌𠈌𠈌", masked);
        Assert.True(IsWellFormed(Masking.Mobile("1𠈌𠈌45678901")));
    }

    private static bool IsWellFormed(string text) =>
        !text.Contains('\uFFFD') && System.Text.Encoding.UTF8.GetString(new System.Text.UTF8Encoding(false, true).GetBytes(text)) == text;
}
