using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Features.Cases.Filing;
using ApprovalSystem.Web.Tests.Infrastructure;
using ApprovalSystem.Web.Tests.Supervision;
using FluentValidation;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ApprovalSystem.Web.Tests.Cases;

/// <summary>
/// "Today" is the application's clock (TimeProvider), never the machine's: with the clock set to 2020, a resident ID
/// number born in 2021 has a birth date in the future, wherever it is checked.
/// </summary>
public sealed class AppClockTests(AppClockTests.In2020 factory) : IClassFixture<AppClockTests.In2020>
{
    /// <summary>The app on a clock that says 2 March 2020.</summary>
    public sealed class In2020 : AppFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(new FakeTimeProvider(ClockedAppFactory.At("2020-03-02T10:00"))));
        }
    }

    /// <summary>An ID number with its check character, born on the given day in county 330799.</summary>
    private static string ResidentId(string birth)
    {
        var first17 = "330799" + birth + "001";
        int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        var sum = first17.Select((ch, i) => (ch - '0') * weights[i]).Sum();
        return first17 + "10X98765432"[sum % 11];
    }

    [Fact]
    public async Task AnApplicantBornAfterTheAppsToday_IsRefused_ThoughTheMachinesYearIsLater()
    {
        using var scope = factory.Services.CreateScope();
        var clerk = new CaseActor("clerk-id", "李晓梅", [Roles.Clerk], "FWZX");
        var command = new FileCase.Command
        {
            MatterCode = "330799-SCJG-011",
            Applicant = new FileCase.ApplicantInput { Name = "王小明", IdType = ApplicantIdType.ResidentId, IdNumber = ResidentId("20210505"), Phone = "13957901234", Address = "城关镇" },
            FormData = [], Submit = false,
        };

        var refused = await Assert.ThrowsAsync<ValidationException>(() => scope.ServiceProvider.GetRequiredService<FileCase.Handler>().HandleAsync(command, clerk));
        Assert.Contains("出生日期", refused.Message, StringComparison.Ordinal);
        Assert.Null(ResidentIdNumber.Validate(ResidentId("20190505"), new DateOnly(2020, 3, 2)));
    }
}
