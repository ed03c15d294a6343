using System.Net;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Components.Shared;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Privacy;
using ApprovalSystem.Web.Tests.Infrastructure;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace ApprovalSystem.Web.Tests.Privacy;

/// <summary>
/// Staff see applicants' identity and mobile numbers masked; revealing one asks a reason and records the read; the supervisor
/// finds the read by case number and by staff account; no one else opens that record (PIPL, docs/privacy.md).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "IAsyncLifetime disposes the bUnit context.")]
public sealed class PersonalDataReadTests : IClassFixture<AppFactory>, IAsyncLifetime
{
    private const string IdNumber = "330799198503120016"; // the demo citizen 张伟
    private const string Mobile = "13800000001";

    private readonly BunitContext _ctx = new();
    private readonly AppFactory _factory;

    public PersonalDataReadTests(AppFactory factory)
    {
        _factory = factory;
        factory.CreateClient().Dispose();
        _ctx.Services.AddMudServices();
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.Services.AddSingleton(factory.Get<PersonalDataReads>());
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _ctx.DisposeAsync();

    private async Task<(long Id, string Number)> FiledCaseAsync()
    {
        var citizen = await ApiSession.SignInAsync(_factory, "citizen");
        var form = await TestForms.RequiredAsync(_factory, TestMatters.Joint);
        var filed = await citizen.PostOkAsync("/api/cases", new { matterCode = TestMatters.Joint, submit = true, formData = form });
        return (filed.GetProperty("id").GetInt64(), filed.GetProperty("number").GetString()!);
    }

    private async Task<CaseActor> ClerkAsync()
    {
        await using var db = _factory.CreateDbContext();
        var clerk = await db.Users.SingleAsync(u => u.UserName == "clerk");
        return new CaseActor(clerk.Id, "李晓梅", [Roles.Clerk], "FWZX");
    }

    private static async Task<BrowserSession> SignedInAsync(AppFactory factory, string account)
    {
        var session = new BrowserSession(factory.CreateBrowserClient());
        await session.SignInAsync(account, Web.Infrastructure.Seeding.DemoAccounts.Password);
        return session;
    }

    [Theory]
    [InlineData("clerk")]
    [InlineData("supervisor")]
    public async Task CasePage_ForStaff_ShowsTheIdNumberAndMobileMaskedByDefault(string account)
    {
        var (id, _) = await FiledCaseAsync();
        var staff = await SignedInAsync(_factory, account);

        var html = await staff.Client.GetStringAsync($"/cases/{id}");

        Assert.Contains("3307**********0016", html, StringComparison.Ordinal);
        Assert.Contains("138****0001", html, StringComparison.Ordinal);
        Assert.Contains("personal-reveal", html, StringComparison.Ordinal);
        Assert.DoesNotContain(IdNumber, html, StringComparison.Ordinal);
        Assert.DoesNotContain(Mobile, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CasePage_AFormsContactNumberOtherThanTheApplicants_IsLabelledAsTheApplications_AndTheSameNumberIsNotShownTwice()
    {
        var citizen = await ApiSession.SignInAsync(_factory, "citizen");
        async Task<long> FileAsync(string contactPhone)
        {
            var form = await TestForms.RequiredAsync(_factory, TestMatters.Joint);
            Assert.True(form.ContainsKey("contactPhone"), "the matter's form asks for a contact number");
            form["contactPhone"] = contactPhone;
            var filed = await citizen.PostOkAsync("/api/cases", new { matterCode = TestMatters.Joint, submit = true, formData = form });
            return filed.GetProperty("id").GetInt64();
        }

        var other = await FileAsync("13922226666");
        var same = await FileAsync(Mobile);
        var staff = await SignedInAsync(_factory, "clerk");

        var html = WebUtility.HtmlDecode(await staff.Client.GetStringAsync($"/cases/{other}"));
        Assert.Contains("<th>联系电话（申请表）</th>", html, StringComparison.Ordinal);
        Assert.Contains("139****6666", html, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "<th>联系电话</th>"));
        var sameHtml = WebUtility.HtmlDecode(await staff.Client.GetStringAsync($"/cases/{same}"));
        Assert.DoesNotContain("联系电话（申请表）", sameHtml, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(sameHtml, "<th>联系电话</th>"));
    }

    [Fact]
    public async Task Reveal_WithAReason_RecordsTheReadFirstAndThenShowsTheFullValue()
    {
        var (id, number) = await FiledCaseAsync();
        var clerk = await ClerkAsync();
        var value = _ctx.Render<PersonalValue>(p => p.Add(x => x.Value, IdNumber).Add(x => x.Kind, PersonalDataKind.IdNumber).Add(x => x.Actor, clerk)
            .Add(x => x.Subject, "张伟").Add(x => x.CaseId, id).Add(x => x.CaseNumber, number));
        Assert.Equal("3307**********0016", value.Find(".personal-value-text").TextContent);

        value.Find(".personal-reveal").Click();
        value.Find(".personal-reason[data-reason='受理核验']").Click();

        value.WaitForAssertion(() => Assert.Equal(IdNumber, value.Find(".personal-value-text").TextContent));
        await using var db = _factory.CreateDbContext();
        var read = await db.PersonalDataReads.AsNoTracking().SingleAsync(r => r.CaseId == id);
        Assert.Equal(("clerk", "李晓梅", PersonalDataKind.IdNumber, "受理核验", number), (read.StaffUserName, read.StaffName, read.Kind, read.Reason, read.CaseNumber));
        Assert.Equal("3307**********0016", read.MaskedValue);
        Assert.Equal("张伟", read.Subject);
    }

    [Fact]
    public async Task Reveal_WithOther_NeedsTheReasonInWords()
    {
        var (id, number) = await FiledCaseAsync();
        var clerk = await ClerkAsync();
        var value = _ctx.Render<PersonalValue>(p => p.Add(x => x.Value, Mobile).Add(x => x.Kind, PersonalDataKind.Mobile).Add(x => x.Actor, clerk)
            .Add(x => x.Subject, "张伟").Add(x => x.CaseId, id).Add(x => x.CaseNumber, number));

        value.Find(".personal-reveal").Click();
        value.Find(".personal-reason[data-reason='其他']").Click();
        value.Find(".personal-confirm").Click();

        value.WaitForAssertion(() => Assert.Contains("请说明", value.Find(".personal-error").TextContent, StringComparison.Ordinal));
        Assert.Equal("138****0001", value.Find(".personal-value-text").TextContent);
        value.Find(".personal-other input").Change("核对送达地址");
        value.Find(".personal-confirm").Click();

        value.WaitForAssertion(() => Assert.Equal(Mobile, value.Find(".personal-value-text").TextContent));
        await using var db = _factory.CreateDbContext();
        Assert.Equal("核对送达地址", (await db.PersonalDataReads.AsNoTracking().SingleAsync(r => r.CaseId == id)).Reason);
    }

    [Fact]
    public async Task ForAnApplicant_TheValueStaysMasked_WithNoWayToReveal()
    {
        var value = _ctx.Render<PersonalValue>(p => p.Add(x => x.Value, IdNumber).Add(x => x.Kind, PersonalDataKind.IdNumber)
            .Add(x => x.Actor, new CaseActor("citizen-id", "张伟", [Roles.Applicant])).Add(x => x.Subject, "张伟"));

        Assert.Equal("3307**********0016", value.Find(".personal-value-text").TextContent);
        Assert.Empty(value.FindAll(".personal-reveal"));
        await Assert.ThrowsAsync<CaseRuleException>(() => _factory.Get<PersonalDataReads>().RecordAsync(
            new CaseActor("citizen-id", "张伟", [Roles.Applicant]), PersonalDataKind.IdNumber, "张伟", IdNumber, null, null, "受理核验"));
    }

    [Fact]
    public async Task SupervisorPage_FindsTheRead_ByCaseNumberAndByStaffAccount()
    {
        var (id, number) = await FiledCaseAsync();
        var (otherId, otherNumber) = await FiledCaseAsync();
        var reads = _factory.Get<PersonalDataReads>();
        await reads.RecordAsync(await ClerkAsync(), PersonalDataKind.IdNumber, "张伟", IdNumber, id, number, "受理核验");
        await using (var db = _factory.CreateDbContext())
        {
            var officer = await db.Users.SingleAsync(u => u.UserName == "officer.scjg");
            await reads.RecordAsync(new CaseActor(officer.Id, officer.DisplayName, [Roles.Officer], "SCJG"), PersonalDataKind.Mobile, "张伟", Mobile, otherId,
                otherNumber, "电话联系申请人");
        }

        var supervisor = await SignedInAsync(_factory, "supervisor");

        var byCase = await supervisor.Client.GetStringAsync($"/supervision/personal-data-reads?case={number}");
        Assert.Contains("个人信息查看记录", byCase, StringComparison.Ordinal);
        Assert.Contains("受理核验", byCase, StringComparison.Ordinal);
        Assert.Contains("3307**********0016", byCase, StringComparison.Ordinal);
        Assert.DoesNotContain("电话联系申请人", byCase, StringComparison.Ordinal);
        Assert.DoesNotContain(IdNumber, byCase, StringComparison.Ordinal);

        var byStaff = await supervisor.Client.GetStringAsync("/supervision/personal-data-reads?staff=officer.scjg");
        Assert.Contains("电话联系申请人", byStaff, StringComparison.Ordinal);
        Assert.Contains(otherNumber, byStaff, StringComparison.Ordinal);
        Assert.DoesNotContain("受理核验", byStaff, StringComparison.Ordinal);

        var page = await reads.PageAsync(new PersonalDataReads.Filter(Staff: "clerk", CaseNumber: number), 0, 50);
        Assert.Equal(1, page.Total);
        var today = DateOnly.FromDateTime(DateTimeOffset.UtcNow.ToOffset(WorkingTime.ChinaOffset).DateTime);
        Assert.Equal(0, (await reads.PageAsync(new PersonalDataReads.Filter(CaseNumber: number, From: today.AddDays(1)), 0, 50)).Total);
        Assert.Equal(1, (await reads.PageAsync(new PersonalDataReads.Filter(CaseNumber: number, From: today, To: today), 0, 50)).Total);
    }

    [Theory]
    [InlineData("citizen")]
    [InlineData("officer.scjg")]
    [InlineData("clerk")]
    public async Task SupervisorPage_RefusesApplicantsAndOtherStaff(string account)
    {
        var session = await SignedInAsync(_factory, account);

        var response = await session.Client.GetAsync("/supervision/personal-data-reads");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/access-denied", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheRecord_IsAppendOnly()
    {
        var (id, number) = await FiledCaseAsync();
        await _factory.Get<PersonalDataReads>().RecordAsync(await ClerkAsync(), PersonalDataKind.IdNumber, "张伟", IdNumber, id, number, "审查需要");
        await using var db = _factory.CreateDbContext();
        var read = await db.PersonalDataReads.SingleAsync(r => r.CaseId == id);

        read.Reason = "改过";
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
        db.ChangeTracker.Clear();
        db.PersonalDataReads.Remove(await db.PersonalDataReads.SingleAsync(r => r.CaseId == id));
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
    }
}
