using System.Net;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Features.Account;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Tests.Account;

/// <summary>
/// Registration cannot be used to test a list of ID numbers for accounts (ASVS 6.3.8; issue 15 item 5): "already registered"
/// costs the time of a new account, and an address that has had five such answers in an hour may not register for a while.
/// </summary>
public sealed class RegistrationGuardTests(SignInThrottleTests.AddressedFactory factory) : IClassFixture<SignInThrottleTests.AddressedFactory>
{
    private static string NewIdNumber(int serial)
    {
        var first17 = $"330799198807{serial % 28 + 1:00}{serial % 1000:000}";
        return first17 + ResidentIdNumber.CheckCharacterFor(first17);
    }

    private async Task<(HttpStatusCode Status, string Page)> RegisterAsync(string idNumber, string address)
    {
        var client = factory.CreateBrowserClient();
        client.DefaultRequestHeaders.Add("X-Test-Address", address);
        var response = await new BrowserSession(client).SubmitFormAsync("/account/register", new Dictionary<string, string>
        {
            ["Input.Type"] = "Citizen", ["Input.Name"] = "钱多多", ["Input.IdNumber"] = idNumber,
            ["Input.Phone"] = "13912345678", ["Input.Password"] = "qingshan-lushui7", ["Input.ConfirmPassword"] = "qingshan-lushui7",
        });
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AlreadyRegistered_CostsAHash_AndFiveSuchAnswers_HoldTheAddressBack_NotOthers()
    {
        var registered = NewIdNumber(101);
        Assert.Equal(HttpStatusCode.Redirect, (await RegisterAsync(registered, "203.0.113.50")).Status);

        for (var i = 0; i < RegistrationGuard.TakenLimit; i++)
        {
            var hashes = factory.Hasher.Hashes;
            var (_, page) = await RegisterAsync(registered, "203.0.113.51");
            Assert.Contains("该身份证号码已注册", page, StringComparison.Ordinal);
            Assert.Equal(hashes + 1, factory.Hasher.Hashes); // the same work as creating the account would have been
        }

        // The address that collected the answers may not register even a new person now; nothing is saved.
        var fresh = NewIdNumber(202);
        var (status, held) = await RegisterAsync(fresh, "203.0.113.51");
        Assert.NotEqual(HttpStatusCode.Redirect, status);
        Assert.Contains("注册尝试过于频繁", held, StringComparison.Ordinal);
        await using (var db = factory.CreateDbContext())
        {
            Assert.False(await db.Users.AnyAsync(u => u.IdNumber == fresh));
        }

        // Anyone else registers as always, and is still told when they are registered already.
        Assert.Equal(HttpStatusCode.Redirect, (await RegisterAsync(fresh, "198.51.100.60")).Status);
        Assert.Contains("该身份证号码已注册", (await RegisterAsync(registered, "198.51.100.60")).Page, StringComparison.Ordinal);
    }
}
