using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using ApprovalSystem.Web.Infrastructure.Seeding;

namespace ApprovalSystem.Simulation;

/// <summary>
/// The demo clerk through HTTP, as the pages' API calls go: signs in with the login form (antiforgery token
/// and all) and posts JSON. Signed in afresh for each act, since the simulated clock outruns any cookie.
/// </summary>
public sealed partial class HttpClerk(SimulationHost host)
{
    public async Task<HttpClient> SignInAsync(string account = "clerk")
    {
        var client = host.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        client.DefaultRequestHeaders.Add("X-Requested-With", "simulation"); // what the API asks of a signed-in caller's own program
        var page = await client.GetStringAsync("/account/login");
        var form = FormRegex().Match(page);
        var fields = HiddenRegex().Matches(form.Value).ToDictionary(m => m.Groups["name"].Value, m => WebUtility.HtmlDecode(m.Groups["value"].Value));
        fields["Input.Account"] = account;
        fields["Input.Password"] = DemoAccounts.Password;
        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(fields));
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"signing in as {account} answered {(int)response.StatusCode}");
        }

        return client;
    }

    /// <summary>POSTs JSON; anything but success is an exception naming the status and the problem details.</summary>
    public static async Task PostAsync(HttpClient client, string url, object body)
    {
        var response = await client.PostAsJsonAsync(url, body);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    [GeneratedRegex("<form[^>]*method=\"post\"[\\s\\S]*?</form>")]
    private static partial Regex FormRegex();

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*name=\"(?<name>[^\"]+)\"[^>]*value=\"(?<value>[^\"]*)\"")]
    private static partial Regex HiddenRegex();
}
