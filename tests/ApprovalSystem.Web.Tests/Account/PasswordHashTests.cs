using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Tests.Account;

/// <summary>
/// The test hosts hash their accounts with fewer PBKDF2 iterations (<see cref="AppFactory.TestHashIterations"/>, decision 0066);
/// a host as in production keeps Identity's default, with the same hasher and format.
/// </summary>
public sealed class PasswordHashTests
{
    private sealed class ProductionHasherFactory : AppFactory
    {
        protected override bool QuickPasswordHashes => false;
    }

    /// <summary>Identity's format 3: 0x01, the PRF (2: HMAC-SHA512), the iterations, big-endian.</summary>
    private static (int Prf, int Iterations) Read(string hash)
    {
        var b = Convert.FromBase64String(hash);
        Assert.Equal(0x01, b[0]);
        return ((b[1] << 24) | (b[2] << 16) | (b[3] << 8) | b[4], (b[5] << 24) | (b[6] << 16) | (b[7] << 8) | b[8]);
    }

    private static async Task<string> HashOfAsync(AppFactory factory, string userName)
    {
        factory.CreateClient().Dispose();
        await using var db = factory.CreateDbContext();
        return (await db.Users.AsNoTracking().SingleAsync(u => u.UserName == userName)).PasswordHash!;
    }

    [Fact]
    public async Task AHostAsInProduction_HashesWithIdentitysDefault_TestHostsOnlyWithFewerIterations()
    {
        // One host at a time (the app's background jobs share the process's job storage).
        await using (var production = new ProductionHasherFactory())
        {
            var (prf, iterations) = Read(await HashOfAsync(production, "citizen"));
            Assert.Equal(2, prf);
            Assert.Equal(new PasswordHasherOptions().IterationCount, iterations);
            Assert.True(iterations >= 100_000, $"production hashes with {iterations} iterations");
            await ApiSession.SignInAsync(production, "citizen"); // and its accounts sign in
        }

        await using var quick = new AppFactory();
        Assert.Equal((2, AppFactory.TestHashIterations), Read(await HashOfAsync(quick, "citizen")));
    }
}
