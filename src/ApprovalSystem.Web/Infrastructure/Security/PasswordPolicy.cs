using ApprovalSystem.Web.Data;
using Microsoft.AspNetCore.Identity;

namespace ApprovalSystem.Web.Infrastructure.Security;

/// <summary>
/// The password rule (issue 15, item 6; ASVS 6.2; decision 0026): long enough — 8 characters for applicants, 12 for staff,
/// whose accounts open many residents' data — and not a common or breached password (the list shipped with the app, also
/// with digits or symbols added at the end: "password1", "Qwerty2026!"), nor the account's own name, phone or ID
/// number. No rules about kinds of characters: a long phrase is stronger than "Aa1!".
/// </summary>
public sealed class PasswordPolicy : IPasswordValidator<ApplicationUser>
{
    public const int ApplicantLength = 8;

    public const int StaffLength = 12;

    private static readonly Lazy<HashSet<string>> Common = new(Load);

    public Task<IdentityResult> ValidateAsync(UserManager<ApplicationUser> manager, ApplicationUser user, string? password) =>
        Task.FromResult(Check(user, password ?? "") is { } error
            ? IdentityResult.Failed(new IdentityError { Code = "PasswordPolicy", Description = error })
            : IdentityResult.Success);

    /// <summary>Staff accounts are those that are not an applicant's (agents included).</summary>
    public static int MinimumLength(ApplicationUser user) => user.ApplicantType is null ? StaffLength : ApplicantLength;

    /// <summary>Null when the password may be used, otherwise why not (Chinese, for the form).</summary>
    public static string? Check(ApplicationUser user, string password)
    {
        var minimum = MinimumLength(user);
        if (password.Length < minimum)
        {
            return user.ApplicantType is null
                ? $"工作人员的密码至少 {minimum} 位（可用一句话或几个词语，越长越安全）"
                : $"密码至少 {minimum} 位（可用一句话或几个词语，越长越安全）";
        }

        if (IsCommon(password))
        {
            return "这是常见或已泄露的密码，很容易被猜到，请换一个";
        }

        var lower = password.ToLowerInvariant();
        foreach (var own in new[] { user.UserName, user.PhoneNumber, user.IdNumber, user.CreditCode })
        {
            if (own is { Length: >= 4 } && lower.Contains(own.ToLowerInvariant(), StringComparison.Ordinal))
            {
                return "密码不能包含账号、手机号或证件号码";
            }
        }

        return null;
    }

    /// <summary>On the list as typed (case aside), or once the digits and symbols added at its end are taken off.</summary>
    public static bool IsCommon(string password)
    {
        var lower = password.ToLowerInvariant();
        if (Common.Value.Contains(lower))
        {
            return true;
        }

        var stem = lower.TrimEnd("0123456789!@#$%^&*()_+-=.,?~ ".ToCharArray());
        return stem.Length >= 3 && stem.Length < lower.Length && Common.Value.Contains(stem);
    }

    private static HashSet<string> Load()
    {
        using var stream = typeof(PasswordPolicy).Assembly.GetManifestResourceStream("common-passwords.txt")
            ?? throw new InvalidOperationException("common-passwords.txt is not embedded");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                set.Add(line.ToLowerInvariant());
            }
        }

        return set;
    }
}
