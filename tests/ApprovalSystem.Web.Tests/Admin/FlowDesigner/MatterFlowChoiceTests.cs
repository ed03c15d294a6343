using ApprovalSystem.Web.Features.Admin;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Tests.Admin.FlowDesigner;

/// <summary>Issue 18 item 7: the administrator switches a matter to another flow on its page, and a new filing runs on it.</summary>
public sealed class MatterFlowChoiceTests(AppFactory factory) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task SwitchingAMattersFlow_ANewFilingRunsOnTheChosenFlow_ACaseAcceptedBeforeKeepsItsOwn()
    {
        factory.CreateClient().Dispose();
        await using var db = factory.CreateDbContext();
        var matter = (await db.Matters.AsNoTracking().Where(m => m.WorkflowId == "promised-single" && m.Department!.Code == "SCJG")
            .OrderByDescending(m => m.Code).ToListAsync()).First();
        var citizen = await ApiSession.SignInAsync(factory, "enterprise");
        var clerk = await ApiSession.SignInAsync(factory, "clerk");
        var before = (await citizen.PostOkAsync("/api/cases", new { matterCode = matter.Code, submit = true, formData = TestForms.For(matter) }))
            .GetProperty("id").GetInt64();
        await clerk.PostOkAsync($"/api/cases/{before}/accept", new { });

        var handler = factory.Get<EditMatter.Handler>();
        var data = (await handler.LoadAsync(matter.Code))!;
        data.Workflow = "countersign-review";
        Assert.Empty(await handler.SaveAsync(matter.Code, data));

        var after = (await citizen.PostOkAsync("/api/cases", new { matterCode = matter.Code, submit = true, formData = TestForms.For(matter) }))
            .GetProperty("id").GetInt64();
        await clerk.PostOkAsync($"/api/cases/{after}/accept", new { });

        var cases = await db.Cases.AsNoTracking().Where(c => c.Id == before || c.Id == after).ToDictionaryAsync(c => c.Id, c => c.WorkflowId);
        Assert.Equal(("promised-single", "countersign-review"), (cases[before], cases[after]));
    }
}
