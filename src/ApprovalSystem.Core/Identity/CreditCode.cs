namespace ApprovalSystem.Core.Identity;

/// <summary>
/// Unified social credit code 统一社会信用代码 (GB 32100-2015): 18 characters from a 31-character
/// set without I, O, Z, S, V; characters 3-8 are the administrative division code; the last one
/// is a MOD 31 check character.
/// </summary>
public static class CreditCode
{
    public const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    /// <summary>Returns null when valid, otherwise a message in Chinese a person can act on.</summary>
    public static string? Validate(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return "请填写统一社会信用代码";
        }

        var code = Normalize(value);
        if (code.Length != 18)
        {
            return $"统一社会信用代码应为18位，当前为{code.Length}位";
        }

        for (var i = 0; i < 18; i++)
        {
            if (Alphabet.IndexOf(code[i], StringComparison.Ordinal) < 0)
            {
                return $"统一社会信用代码第{i + 1}位“{code[i]}”不是有效字符（不使用I、O、Z、S、V）";
            }
        }

        for (var i = 2; i < 8; i++)
        {
            if (!char.IsAsciiDigit(code[i]))
            {
                return "统一社会信用代码第3-8位应为行政区划码（数字）";
            }
        }

        if (code[17] != CheckCharacterFor(code.AsSpan(0, 17)))
        {
            return "统一社会信用代码校验位不正确，请核对后重新输入";
        }

        return null;
    }

    public static bool IsValid(string? value) => Validate(value) is null;

    public static string Normalize(string value) => value.Trim().Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();

    public static char CheckCharacterFor(ReadOnlySpan<char> first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += Alphabet.IndexOf(first17[i], StringComparison.Ordinal) * Weights[i];
        }

        var check = 31 - (sum % 31);
        return Alphabet[check == 31 ? 0 : check];
    }
}
