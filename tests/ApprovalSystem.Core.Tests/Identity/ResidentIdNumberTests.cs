using ApprovalSystem.Core.Identity;

namespace ApprovalSystem.Core.Tests.Identity;

public class ResidentIdNumberTests
{
    private static readonly DateOnly Today = new(2026, 3, 14);

    [Theory]
    [InlineData("11010519491231002X")]
    [InlineData("330799198503120016")]
    [InlineData("330799195208170025")]
    public void Validate_RealFormatNumber_IsAccepted(string id)
    {
        Assert.Null(ResidentIdNumber.Validate(id, Today));
        Assert.True(ResidentIdNumber.IsValid(id, Today));
    }

    // One number for each of the eleven possible check characters, worked out by hand with MOD 11-2.
    [Theory]
    [InlineData("33079919900101000", '6')]
    [InlineData("33079919900101001", '4')]
    [InlineData("33079919900101002", '2')]
    [InlineData("33079919900101003", '0')]
    [InlineData("33079919900101004", '9')]
    [InlineData("33079919900101005", '7')]
    [InlineData("33079919900101006", '5')]
    [InlineData("33079919900101007", '3')]
    [InlineData("33079919900101008", '1')]
    [InlineData("33079919900101009", 'X')]
    [InlineData("33079919900101018", '8')]
    public void CheckCharacterFor_EveryCheckValue_MatchesMod11_2(string first17, char expected)
    {
        Assert.Equal(expected, CheckCharacters.Mod11_2(first17));
        Assert.Equal(expected, ResidentIdNumber.CheckCharacterFor(first17));
        Assert.Null(ResidentIdNumber.Validate(first17 + expected, Today));
    }

    [Fact]
    public void Validate_LowercaseX_IsAccepted()
    {
        Assert.Null(ResidentIdNumber.Validate("11010519491231002x", Today));
        Assert.Equal("11010519491231002X", ResidentIdNumber.Normalize("11010519491231002x"));
    }

    [Fact]
    public void Validate_SpacesAndSurroundingBlanks_AreIgnored()
    {
        Assert.Null(ResidentIdNumber.Validate(" 330799 19850312 0016 ", Today));
    }

    [Theory]
    [InlineData("11010519491231002X")]
    [InlineData("330799198503120016")]
    [InlineData("330799195208170025")]
    [InlineData("33079919900101009X")]
    public void Validate_WrongCheckCharacter_IsRejected(string valid)
    {
        foreach (var wrong in "0123456789X".Where(c => c != valid[17]))
        {
            var message = ResidentIdNumber.Validate(valid[..17] + wrong, Today);

            Assert.NotNull(message);
            Assert.Contains("校验位", message);
        }
    }

    [Theory]
    [InlineData("19990230")] // no 30 February
    [InlineData("20261301")] // no 13th month
    [InlineData("19850231")]
    [InlineData("19900431")] // April has 30 days
    [InlineData("19000229")] // 1900 was not a leap year
    [InlineData("20260229")]
    [InlineData("18991231")] // before 1900
    [InlineData("19850012")]
    public void Validate_ImpossibleBirthDate_IsRejected(string birth)
    {
        // The check character is right, so only the date can make it fail.
        var id = CheckCharacters.ResidentId("330799" + birth + "001");

        var message = ResidentIdNumber.Validate(id, Today);

        Assert.NotNull(message);
        Assert.Contains("出生日期", message);
    }

    [Fact]
    public void Validate_LeapDay_IsAccepted()
    {
        Assert.Null(ResidentIdNumber.Validate(CheckCharacters.ResidentId("33079920000229001"), Today));
    }

    [Fact]
    public void Validate_BirthDateAfterToday_IsRejected()
    {
        var id = CheckCharacters.ResidentId("33079920260315001");

        Assert.Contains("出生日期", ResidentIdNumber.Validate(id, Today));
        Assert.Null(ResidentIdNumber.Validate(id, new DateOnly(2026, 3, 15)));
    }

    [Theory]
    [InlineData("33079919850312001", 17)]
    [InlineData("3307991985031200160", 19)]
    [InlineData("330799850312001", 15)] // the old 15-digit card is not accepted
    public void Validate_WrongLength_IsRejectedWithTheLength(string id, int length)
    {
        Assert.Equal($"身份证号码应为18位，当前为{length}位", ResidentIdNumber.Validate(id, Today));
    }

    [Theory]
    [InlineData("A30799198503120016", 1)]
    [InlineData("33079919850312X016", 15)]
    [InlineData("3307991985031200X6", 17)]
    public void Validate_LetterInFirst17_IsRejectedNamingThePosition(string id, int position)
    {
        Assert.Equal($"身份证号码第{position}位应为数字", ResidentIdNumber.Validate(id, Today));
    }

    [Fact]
    public void Validate_AddressCodeStartingWithZero_IsRejected()
    {
        var id = CheckCharacters.ResidentId("03079919850312001");

        Assert.Contains("地址码", ResidentIdNumber.Validate(id, Today));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Validate_Empty_AsksForTheNumber(string? id)
    {
        Assert.Equal("请填写身份证号码", ResidentIdNumber.Validate(id, Today));
        Assert.False(ResidentIdNumber.IsValid(id, Today));
    }

    [Fact]
    public void BirthDate_ValidNumber_ReadsCharacters7To14()
    {
        Assert.Equal(new DateOnly(1949, 12, 31), ResidentIdNumber.BirthDate("11010519491231002x"));
        Assert.Null(ResidentIdNumber.BirthDate("11010519491231002"));
    }
}
