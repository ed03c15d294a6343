namespace ApprovalSystem.Core.Identity;

/// <summary>
/// Resident identity card number 居民身份证号码 (GB 11643-1999): 17 digits and an ISO 7064
/// MOD 11-2 check character (0-9 or X); characters 7-14 are a real birth date.
/// </summary>
public static class ResidentIdNumber
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    /// <summary>Returns null when valid, otherwise a message in Chinese a person can act on.</summary>
    /// <param name="today">The local date a birth date may not be after (from the caller's <see cref="TimeProvider"/>).</param>
    public static string? Validate(string? value, DateOnly today)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return "请填写身份证号码";
        }

        var id = Normalize(value);
        if (id.Length != 18)
        {
            return $"身份证号码应为18位，当前为{id.Length}位";
        }

        for (var i = 0; i < 17; i++)
        {
            if (!char.IsAsciiDigit(id[i]))
            {
                return $"身份证号码第{i + 1}位应为数字";
            }
        }

        if (id[0] == '0')
        {
            return "身份证号码前6位地址码无效";
        }

        if (!DateOnly.TryParseExact(id.AsSpan(6, 8), "yyyyMMdd", out var birth)
            || birth.Year < 1900
            || birth > today)
        {
            return "身份证号码中的出生日期（第7-14位）不是有效日期";
        }

        var expected = CheckCharacterFor(id.AsSpan(0, 17));
        if (id[17] != expected)
        {
            return "身份证号码校验位不正确，请核对后重新输入";
        }

        return null;
    }

    public static bool IsValid(string? value, DateOnly today) => Validate(value, today) is null;

    /// <summary>Upper-cases a trailing x and strips spaces people type in.</summary>
    public static string Normalize(string value) => value.Trim().Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();

    public static char CheckCharacterFor(ReadOnlySpan<char> first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (first17[i] - '0') * Weights[i];
        }

        return CheckCharacters[sum % 11];
    }

    public static DateOnly? BirthDate(string value)
    {
        var id = Normalize(value);
        return id.Length == 18 && DateOnly.TryParseExact(id.AsSpan(6, 8), "yyyyMMdd", out var d) ? d : null;
    }
}
