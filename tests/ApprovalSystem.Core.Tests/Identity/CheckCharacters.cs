namespace ApprovalSystem.Core.Tests.Identity;

/// <summary>
/// The two check-character algorithms written the way the standards state them, independently of
/// the production tables: weights are powers of the radix' base, not a copied list.
/// </summary>
internal static class CheckCharacters
{
    private const string CreditAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

    /// <summary>ISO 7064 MOD 11-2 (GB 11643): Σ aᵢ·2^(i-1) ≡ 1 (mod 11), counting from the check character.</summary>
    public static char Mod11_2(string first17)
    {
        var sum = 0;
        var weight = 1;
        for (var i = first17.Length - 1; i >= 0; i--)
        {
            weight = weight * 2 % 11;
            sum += (first17[i] - '0') * weight;
        }

        var check = (12 - (sum % 11)) % 11;
        return check == 10 ? 'X' : (char)('0' + check);
    }

    /// <summary>GB 32100 MOD 31: weights 3^(i-1) mod 31 from the left, check = 31 − Σ mod 31.</summary>
    public static char Mod31(string first17)
    {
        var sum = 0;
        var weight = 1;
        foreach (var c in first17)
        {
            sum += CreditAlphabet.IndexOf(c, StringComparison.Ordinal) * weight;
            weight = weight * 3 % 31;
        }

        return CreditAlphabet[(31 - (sum % 31)) % 31];
    }

    public static string ResidentId(string first17) => first17 + Mod11_2(first17);

    public static string CreditCode(string first17) => first17 + Mod31(first17);
}
