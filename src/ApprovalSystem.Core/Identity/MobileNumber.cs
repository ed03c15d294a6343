namespace ApprovalSystem.Core.Identity;

/// <summary>Mainland mobile number 手机号码: 11 digits starting with 1.</summary>
public static class MobileNumber
{
    public static string? Validate(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return "请填写手机号码";
        }

        var v = value.Trim();
        return v.Length == 11 && v[0] == '1' && v.All(char.IsAsciiDigit) ? null : "手机号码应为以1开头的11位数字";
    }

    public static bool IsValid(string? value) => Validate(value) is null;
}
