using System.Net;
using System.Text.RegularExpressions;

namespace ApprovalSystem.Web.Tests.Infrastructure;

/// <summary>
/// Drives the app the way a browser posts its static forms: reads the page, keeps the hidden
/// fields (antiforgery token, Blazor's form handler) and posts them back with the user's input.
/// </summary>
public sealed partial class BrowserSession(HttpClient client)
{
    public HttpClient Client { get; } = client;

    public async Task<HttpResponseMessage> SubmitFormAsync(string pageUrl, IDictionary<string, string> fields, string? formName = null) =>
        await SubmitFormOnAsync(await Client.GetStringAsync(pageUrl), pageUrl, fields, formName);

    /// <summary>Posts a form of a page already answered (<paramref name="page"/>, from <paramref name="pageUrl"/>): a second step.</summary>
    public async Task<HttpResponseMessage> SubmitFormOnAsync(string page, string pageUrl, IDictionary<string, string> fields, string? formName = null)
    {
        var form = formName is null ? FormRegex().Match(page) : FormRegex().Matches(page).First(m => m.Value.Contains($"value=\"{formName}\"", StringComparison.Ordinal));
        Assert.True(form.Success, $"No form on {pageUrl}");
        var values = new Dictionary<string, string>();
        foreach (Match hidden in HiddenRegex().Matches(form.Value))
        {
            values[hidden.Groups["name"].Value] = WebUtility.HtmlDecode(hidden.Groups["value"].Value);
        }

        foreach (var (k, v) in fields)
        {
            values[k] = v;
        }

        var action = ActionRegex().Match(form.Value) is { Success: true } a && a.Groups["action"].Value.Length > 0 ? a.Groups["action"].Value : pageUrl;
        return await Client.PostAsync(action.StartsWith('/') ? action : pageUrl, new FormUrlEncodedContent(values));
    }

    public async Task SignInAsync(string account, string password)
    {
        var response = await SubmitFormAsync("/account/login", new Dictionary<string, string> { ["Input.Account"] = account, ["Input.Password"] = password });
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"Sign-in as {account} did not redirect: {(int)response.StatusCode} {Error(await response.Content.ReadAsStringAsync())}");
    }

    private static string Error(string html) => ErrorRegex().Match(html) is { Success: true } m ? m.Groups[1].Value : "";

    [GeneratedRegex("<form[^>]*method=\"post\"[\\s\\S]*?</form>")]
    private static partial Regex FormRegex();

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*name=\"(?<name>[^\"]+)\"[^>]*value=\"(?<value>[^\"]*)\"")]
    private static partial Regex HiddenRegex();

    [GeneratedRegex("<form[^>]*action=\"(?<action>[^\"]*)\"")]
    private static partial Regex ActionRegex();

    [GeneratedRegex("role=\"alert\"[^>]*>([^<]*)<")]
    private static partial Regex ErrorRegex();
}
