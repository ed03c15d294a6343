using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Features.Admin.Workflows;
using ApprovalSystem.Workflows;
using ApprovalSystem.Workflows.Bpmn;
using Bunit;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using MudBlazor.Services;

namespace ApprovalSystem.Web.Tests.Admin.Workflows;

/// <summary>
/// Issue 18 item 6: a BPMN file drawn in another modeler lacks what the engine needs; the form asks for exactly that, element by
/// element, and hands back only what was entered.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "IAsyncLifetime disposes the bUnit context.")]
public sealed class BpmnNeedsFormTests : IAsyncLifetime
{
    private static readonly (string Code, string Name)[] Departments = [("BDC", "不动产登记中心"), ("ZJ", "住建局")];

    private readonly BunitContext _ctx = new();
    private IReadOnlyDictionary<string, BpmnAnswer>? _answered;

    public BpmnNeedsFormTests()
    {
        _ctx.Services.AddMudServices();
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.Render<MudPopoverProvider>();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _ctx.DisposeAsync();

    private IRenderedComponent<BpmnNeedsForm> Render(IReadOnlyList<BpmnImportError> errors, IReadOnlyList<BpmnNeed> needs) =>
        _ctx.Render<BpmnNeedsForm>(p => p
            .Add(x => x.Errors, errors)
            .Add(x => x.Needs, needs)
            .Add(x => x.Departments, Departments)
            .Add(x => x.OnAnswered, EventCallback.Factory.Create<IReadOnlyDictionary<string, BpmnAnswer>>(this, a => _answered = a)));

    [Fact]
    public async Task EachElement_AsksOnlyForWhatItLacks_AndTheAnswersComeBackPerElement()
    {
        var form = Render([],
        [
            new("Activity_check", "现场核查", "check", null, [BpmnMissing.Department, BpmnMissing.Role, BpmnMissing.LimitDays]),
            new("Activity_sign", null, "sign", null, [BpmnMissing.Title, BpmnMissing.Signers]),
            new("Event_end", "不予许可", "end", null, [BpmnMissing.Result]),
        ]);

        var rows = form.FindAll("#bpmn-needs tr[data-element]");
        Assert.Equal(["Activity_check", "Activity_sign", "Event_end"], rows.Select(r => r.GetAttribute("data-element")));
        Assert.Contains("现场核查", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("办理部门、岗位角色、办理时限", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Equal(1, rows[0].QuerySelectorAll(".bpmn-department").Length);
        Assert.Equal(0, rows[0].QuerySelectorAll(".bpmn-result").Length + rows[0].QuerySelectorAll(".bpmn-signers").Length);
        Assert.Contains("Activity_sign", rows[1].TextContent, StringComparison.Ordinal); // no name: its id stands for it
        Assert.Equal(1, rows[1].QuerySelectorAll(".bpmn-title").Length);
        Assert.Equal(1, rows[2].QuerySelectorAll(".bpmn-result").Length);
        Assert.Empty(form.FindAll("#bpmn-errors"));

        // Typed and chosen: a limit, a department and a role for the task; a padded title and signers for the countersign; the end's result.
        form.Find("tr[data-element=Activity_check] .bpmn-limit input").Change("3");
        form.Find("tr[data-element=Activity_sign] .bpmn-title input").Change("  联合会签  ");
        form.Find("tr[data-element=Activity_sign] .bpmn-signers input").Change("2");
        var selects = form.FindComponents<MudSelect<string>>();
        await form.InvokeAsync(() => selects[0].Instance.ValueChanged.InvokeAsync("ZJ"));
        await form.InvokeAsync(() => selects[1].Instance.ValueChanged.InvokeAsync(Roles.DepartmentHead));
        await form.InvokeAsync(() => form.FindComponent<MudSelect<WorkflowResult?>>().Instance.ValueChanged.InvokeAsync(WorkflowResult.Denied));

        form.Find("#bpmn-import-answers").Click();

        Assert.NotNull(_answered);
        Assert.Equal(new BpmnAnswer { Department = "ZJ", Role = Roles.DepartmentHead, LimitDays = 3 }, _answered["Activity_check"]);
        Assert.Equal(new BpmnAnswer { Title = "联合会签", Signers = 2 }, _answered["Activity_sign"]);
        Assert.Equal(new BpmnAnswer { Result = WorkflowResult.Denied }, _answered["Event_end"]);
    }

    [Fact]
    public void AFileWithUnsupportedElements_NamesEachByNameAndId_AndOffersNoImport()
    {
        var form = Render(
        [
            new("Task_script", "自动计算", "本系统不支持脚本任务（scriptTask）"),
            new(null, null, "文件不是有效的 BPMN 2.0 XML"),
        ], [new("Activity_check", "现场核查", "check", null, [BpmnMissing.LimitDays])]);

        var items = form.FindAll("#bpmn-errors li");
        Assert.Equal(["自动计算（Task_script）：本系统不支持脚本任务（scriptTask）", "文件不是有效的 BPMN 2.0 XML"], items.Select(li => li.TextContent));
        Assert.Empty(form.FindAll("#bpmn-needs"));
        Assert.Empty(form.FindAll("#bpmn-import-answers"));
    }
}
