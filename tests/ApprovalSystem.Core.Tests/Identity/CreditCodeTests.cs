using ApprovalSystem.Core.Identity;

namespace ApprovalSystem.Core.Tests.Identity;

public class CreditCodeTests
{
    [Theory]
    [InlineData("91350100M000100Y43")]
    [InlineData("91330799MA2K3L4N5T")]
    [InlineData("91330799MA28F6XG0E")]
    [InlineData("92330799MA2K3L4N5P")]
    [InlineData("12330799000000001X")]
    public void Validate_ValidCode_IsAccepted(string code)
    {
        Assert.Null(CreditCode.Validate(code));
        Assert.True(CreditCode.IsValid(code));
    }

    [Theory]
    [InlineData("91350100M000100Y4", '3')]
    [InlineData("91330799MA2K3L4N5", 'T')]
    [InlineData("91330799MA28F6XG0", 'E')]
    [InlineData("12330799000000001", 'X')]
    [InlineData("93330799MA3XYQ0Q1", 'H')]
    public void CheckCharacterFor_KnownCodes_MatchesMod31(string first17, char expected)
    {
        Assert.Equal(expected, CheckCharacters.Mod31(first17));
        Assert.Equal(expected, CreditCode.CheckCharacterFor(first17));
    }

    [Theory]
    [InlineData("91350100M000100Y43")]
    [InlineData("91330799MA2K3L4N5T")]
    [InlineData("91330799MA28F6XG0E")]
    public void Validate_WrongCheckCharacter_IsRejected(string valid)
    {
        foreach (var wrong in CreditCode.Alphabet.Where(c => c != valid[17]))
        {
            var message = CreditCode.Validate(valid[..17] + wrong);

            Assert.NotNull(message);
            Assert.Contains("校验位", message);
        }
    }

    [Theory]
    [InlineData('I')]
    [InlineData('O')]
    [InlineData('Z')]
    [InlineData('S')]
    [InlineData('V')]
    public void Validate_ForbiddenLetter_IsRejectedNamingThePosition(char letter)
    {
        // Position 10 of 91330799MA2K3L4N5T is the "A".
        var code = "91330799M" + letter + "2K3L4N5T";

        var message = CreditCode.Validate(code);

        Assert.NotNull(message);
        Assert.Contains("第10位", message);
        Assert.Contains(letter.ToString(), message);
    }

    [Fact]
    public void Validate_ForbiddenLetterInLowerCase_IsStillRejected()
    {
        Assert.Contains("第18位", CreditCode.Validate("91330799MA2K3L4N5o"));
    }

    [Theory]
    [InlineData("91A30799MA2K3L4N5")]
    [InlineData("913307G9MA2K3L4N5")]
    [InlineData("9133079AMA2K3L4N5")]
    public void Validate_NonDigitInRegionPart_IsRejected(string first17)
    {
        // The check character is right, so only the region code can make it fail.
        var message = CreditCode.Validate(CheckCharacters.CreditCode(first17));

        Assert.NotNull(message);
        Assert.Contains("行政区划码", message);
    }

    [Fact]
    public void Validate_LowerCase_IsNormalisedAndAccepted()
    {
        Assert.Null(CreditCode.Validate("91330799ma2k3l4n5t"));
        Assert.Equal("91330799MA2K3L4N5T", CreditCode.Normalize(" 91330799 ma2k3l4n5t "));
    }

    [Theory]
    [InlineData("91330799MA2K3L4N5", 17)]
    [InlineData("91330799MA2K3L4N5T0", 19)]
    public void Validate_WrongLength_IsRejectedWithTheLength(string code, int length)
    {
        Assert.Equal($"统一社会信用代码应为18位，当前为{length}位", CreditCode.Validate(code));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    public void Validate_Empty_AsksForTheCode(string? code)
    {
        Assert.Equal("请填写统一社会信用代码", CreditCode.Validate(code));
    }
}
