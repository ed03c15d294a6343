using ApprovalSystem.Core.Identity;

namespace ApprovalSystem.Core.Tests.Identity;

public class MobileNumberTests
{
    [Theory]
    [InlineData("13812345678")]
    [InlineData("19900000000")]
    [InlineData(" 15857912345 ")]
    public void Validate_ElevenDigitsStartingWith1_IsAccepted(string mobile)
    {
        Assert.Null(MobileNumber.Validate(mobile));
        Assert.True(MobileNumber.IsValid(mobile));
    }

    [Theory]
    [InlineData("1381234567")] // 10 digits
    [InlineData("138123456789")] // 12 digits
    [InlineData("23812345678")] // does not start with 1
    [InlineData("1381234567a")]
    [InlineData("138 1234 5678")]
    [InlineData("+8613812345678")]
    [InlineData("0579-8301000")] // a landline
    public void Validate_NotElevenDigitsStartingWith1_IsRejected(string mobile)
    {
        Assert.Equal("手机号码应为以1开头的11位数字", MobileNumber.Validate(mobile));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Validate_Empty_AsksForTheNumber(string? mobile)
    {
        Assert.Equal("请填写手机号码", MobileNumber.Validate(mobile));
        Assert.False(MobileNumber.IsValid(mobile));
    }
}
