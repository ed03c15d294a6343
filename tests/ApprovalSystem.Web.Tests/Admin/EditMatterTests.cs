using ApprovalSystem.Web.Features.Admin;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Tests.Admin;

public sealed class EditMatterTests(AppFactory factory) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task Save_PromisedAboveLegal_IsRefusedAndNothingChanges()
    {
        factory.CreateClient().Dispose();
        var handler = factory.Get<EditMatter.Handler>();
        var data = (await handler.LoadAsync("330799-SCJG-002"))!;
        var before = data.PromisedLimitDays;
        data.PromisedLimitDays = data.LegalLimitDays + 1;

        var problems = await handler.SaveAsync("330799-SCJG-002", data);

        var problem = Assert.Single(problems);
        Assert.Equal("PromisedLimitDays", problem.Property);
        Assert.Equal(before, (await handler.LoadAsync("330799-SCJG-002"))!.PromisedLimitDays);
    }

    [Fact]
    public async Task Save_ValidChange_IsPersisted()
    {
        factory.CreateClient().Dispose();
        var handler = factory.Get<EditMatter.Handler>();
        var data = (await handler.LoadAsync("330799-SCJG-003"))!;
        data.Name = "食品经营许可（新办）测试改名";
        data.PromisedLimitDays = 1;
        data.WarningDaysLeft = null;
        data.WarningPercentUsed = 80;

        var problems = await handler.SaveAsync("330799-SCJG-003", data);

        Assert.Empty(problems);
        await using var db = factory.CreateDbContext();
        var saved = await db.Matters.SingleAsync(m => m.Code == "330799-SCJG-003");
        Assert.Equal(("食品经营许可（新办）测试改名", 1, 80), (saved.Name, saved.PromisedLimitDays, saved.WarningPercentUsed!.Value));
    }

    [Fact]
    public async Task Save_CodeOfAnotherMatter_IsRefused()
    {
        factory.CreateClient().Dispose();
        var handler = factory.Get<EditMatter.Handler>();
        var data = (await handler.LoadAsync("330799-SCJG-004"))!;
        data.Code = "330799-SCJG-005";

        var problems = await handler.SaveAsync("330799-SCJG-004", data);

        Assert.Contains(problems, p => p.Property == "Code" && p.Message.Contains("已被其他事项使用", StringComparison.Ordinal));
    }
}
