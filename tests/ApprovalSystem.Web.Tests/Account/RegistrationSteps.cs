using System.Net;
using System.Text.RegularExpressions;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Tests.Account;

/// <summary>Registration as a person does it (decision 0041): the form, then the code the phone received (read from the SMS outbox).</summary>
internal static partial class RegistrationSteps
{
    public const string Password = "qingshan-lushui7";

    public static Dictionary<string, string> Citizen(string name, string idNumber, string phone) => new()
    {
        ["Input.Type"] = "Citizen", ["Input.Name"] = name, ["Input.IdNumber"] = idNumber,
        ["Input.Phone"] = phone, ["Input.Password"] = Password, ["Input.ConfirmPassword"] = Password,
    };

    /// <summary>Step 1: the form; the answer's HTML.</summary>
    public static async Task<string> RequestCodeAsync(BrowserSession session, IDictionary<string, string> fields, string page = "/account/register")
    {
        var response = await session.SubmitFormAsync(page, fields, "register");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Step 2 on step 1's answer: the code typed into its form.</summary>
    public static Task<HttpResponseMessage> ConfirmAsync(BrowserSession session, string stepOne, string code) =>
        session.SubmitFormOnAsync(stepOne, "/account/register", new Dictionary<string, string> { ["Verify.Code"] = code }, "verify");

    /// <summary>The latest text to <paramref name="mobile"/> in the outbox, as the phone shows it.</summary>
    public static async Task<string?> LatestTextAsync(AppFactory app, string mobile)
    {
        await using var db = app.CreateDbContext();
        return await db.SmsMessages.Where(m => m.Mobile == mobile).OrderByDescending(m => m.Id).Select(m => m.Text).FirstOrDefaultAsync();
    }

    /// <summary>The six-digit code in a text, or null.</summary>
    public static string? CodeIn(string? text) => text is not null && SixDigits().Match(text) is { Success: true } m ? m.Value : null;

    /// <summary>Both steps; the answer to step 2 (302 to the home page when registered).</summary>
    public static async Task<HttpResponseMessage> RegisterAsync(AppFactory app, BrowserSession session, IDictionary<string, string> fields,
        string page = "/account/register")
    {
        var stepOne = await RequestCodeAsync(session, fields, page);
        Assert.Contains("验证码已发送至", stepOne, StringComparison.Ordinal);
        var code = CodeIn(await LatestTextAsync(app, fields["Input.Phone"]));
        Assert.NotNull(code);
        return await ConfirmAsync(session, stepOne, code);
    }

    [GeneratedRegex(@"(?<!\d)\d{6}(?!\d)")]
    private static partial Regex SixDigits();
}
