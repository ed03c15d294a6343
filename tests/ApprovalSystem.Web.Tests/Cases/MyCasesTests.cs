using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Features.Cases.Queries;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Tests.Cases;

/// <summary>我的办件 past its old cap of 500: an applicant (or a station) with more cases pages through all of them and finds an old one.</summary>
public sealed class MyCasesTests(AppFactory factory) : IClassFixture<AppFactory>
{
    private const int Filed = 520;

    [Fact]
    public async Task AnApplicantWithMoreThan500Cases_PagesThroughAll_AndASearchFindsTheOldest()
    {
        factory.CreateClient().Dispose();
        var owner = new CaseActor("citizen-many", "吴芳", [Roles.Applicant], null);
        var other = new CaseActor("citizen-other", "李娜", [Roles.Applicant], null);
        await BulkCases.FileAsync(factory, Filed, _ => owner, i => i == 0 ? "欧阳修远" : "吴芳");

        var queries = factory.Get<CaseQueries>();
        var first = await queries.MineAsync(owner, 0, 25);
        var pastTheOldCap = await queries.MineAsync(owner, 500, 25);
        var found = await queries.MineAsync(owner, 0, 25, "欧阳修远");
        var byNumber = await queries.MineAsync(owner, 0, 25, pastTheOldCap.Rows[^1].Number);

        Assert.Equal(Filed, first.Total);
        Assert.Equal(25, first.Rows.Count);
        Assert.Equal(first.Rows.OrderByDescending(r => r.Id).Select(r => r.Id), first.Rows.Select(r => r.Id));
        Assert.Equal(Filed - 500, pastTheOldCap.Rows.Count);
        Assert.Equal("欧阳修远", Assert.Single(found.Rows).Applicant);
        Assert.Equal(pastTheOldCap.Rows[^1].Id, Assert.Single(byNumber.Rows).Id);
        Assert.Equal(pastTheOldCap.Rows[^1].Id, Assert.Single(found.Rows).Id);

        // Nobody else's: another applicant sees none of them, even searching for the name.
        Assert.Equal(0, (await queries.MineAsync(other, 0, 25, "欧阳修远")).Total);
    }
}
