using ApprovalSystem.Web.Features.Admin.FlowDesigner;
using ApprovalSystem.Workflows;
using Bunit;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using MudBlazor.Services;

namespace ApprovalSystem.Web.Tests.Admin.FlowDesigner;

/// <summary>Issue 18: the designer's side panel, as an administrator uses it with a keyboard.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "IAsyncLifetime disposes the bUnit context.")]
public sealed class StepPanelTests : IAsyncLifetime
{
    private static readonly IReadOnlyList<WorkflowDefinition> Shipped =
        new WorkflowLoader().LoadDirectory(Path.Combine(AppContext.BaseDirectory, "workflows")).Definitions;

    private static readonly (string Code, string Name)[] Departments = [("BDC", "不动产登记中心"), ("SW", "县税务局"), ("ZJ", "住建局")];

    private readonly BunitContext _ctx = new();
    private readonly FlowHistory _history = new();
    private FlowModel _model = null!;

    public StepPanelTests()
    {
        _ctx.Services.AddMudServices();
        _ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        _ctx.Render<MudPopoverProvider>();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _ctx.DisposeAsync();

    /// <summary>The panel as the designer page hosts it: every edit recorded for undo, then applied, then checked again.</summary>
    private IRenderedComponent<StepPanel> Render(string flow, string? selected)
    {
        _model = FlowModel.FromDefinition(Shipped.Single(d => d.Id == flow));
        IRenderedComponent<StepPanel>? panel = null;
        panel = _ctx.Render<StepPanel>(p => p
            .Add(x => x.Model, _model)
            .Add(x => x.SelectedId, selected)
            .Add(x => x.Departments, Departments)
            .Add(x => x.Issues, FlowCheck.Run(_model))
            .Add(x => x.FormFields, [new FlowDesignerQueries.FormFieldRow("floorArea", "建筑面积", "建筑工程施工许可")])
            .Add(x => x.OnEdit, EventCallback.Factory.Create<Action>(this, change =>
            {
                _history.Record(_model);
                change();
                panel!.Render(p => p.Add(x => x.Issues, FlowCheck.Run(_model)));
            })));
        return panel;
    }

    [Fact]
    public void EditingTheLimit_ChangesTheStep_AndABranchLimitAboveItsStepIsShownInThePanel()
    {
        var panel = Render("property-registration", "register");

        panel.Find("#panel-limit").Change("5");

        Assert.Equal(5, _model.FindStep("register")!.LimitDays);
        Assert.Equal(5, Reload().GetStep("register") is TaskStep { LimitDays: var days } ? days : 0);

        var branch = Render("property-registration", "deed-tax");
        branch.Find("#panel-limit").Change("4");
        branch.WaitForAssertion(() => Assert.Contains("时限4个工作日超过了并联环节的3个工作日", branch.Find(".flow-panel-issues").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void ChoosingADepartment_OffersTheCatalogueAndThePlaceholders_AndStoresItsCode()
    {
        var panel = Render("property-registration", "register");

        var options = panel.FindAll("#panel-department option").Select(o => o.TextContent).ToList();
        Assert.Equal(["（请选择部门）", "主办部门（事项的实施部门）", "服务中心", "不动产登记中心", "县税务局", "住建局"], options);
        panel.Find("#panel-department").Change("ZJ");
        Assert.Equal("ZJ", _model.FindStep("register")!.Department);

        panel.Find("#panel-department").Change("$lead");
        Assert.Equal(WorkflowDepartments.Lead, _model.FindStep("register")!.Department);

        panel.Find("#panel-department").Change("");
        panel.WaitForAssertion(() => Assert.Contains("请填写办理部门", panel.Find(".flow-panel-issues").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public void Fields_CanBeAdded_Renamed_Reordered_AndRemoved()
    {
        var panel = Render("property-registration", "register");
        Assert.Equal(["unitNo", "certificateNo"], _model.FindStep("register")!.Fields.Select(f => f.Key));

        panel.Find("#panel-add-field").Click();
        panel.Find("#panel-field-2 .flow-field-key input").Change("registerDate");
        panel.Find("#panel-field-2 .flow-field-label input").Change("登簿日期");
        panel.Find("#panel-field-2 select").Change("date");
        panel.Find("#panel-field-2 button[aria-label=上移]").Click();
        panel.Find("#panel-field-0 button[aria-label=删除数据项]").Click();

        var fields = _model.FindStep("register")!.Fields;
        Assert.Equal(["registerDate", "certificateNo"], fields.Select(f => f.Key));
        Assert.Equal(("登簿日期", "date"), (fields[0].Label, fields[0].Type));
        var stored = Assert.IsType<TaskStep>(Reload().GetStep("register")).Fields;
        Assert.Equal((FieldKind.Date, "登簿日期"), (stored[0].Type, stored[0].Label));
    }

    [Fact]
    public void ACondition_ThatDoesNotRead_ShowsWhereAndWhy_InChinese_AndAFormFieldCanBeInserted()
    {
        var panel = Render("capital-construction", "large");

        panel.Find("#panel-condition").Change("floorArea >");

        var error = panel.Find("#panel-condition-error");
        Assert.Contains("第12个字符处：", error.TextContent, StringComparison.Ordinal);
        Assert.Contains(FlowCheck.Run(_model), i => i.StepId == "large");

        panel.Find("#panel-condition").Change("");
        panel.FindAll("#panel-form-fields .mud-chip").Single(c => c.TextContent.Contains("建筑面积", StringComparison.Ordinal)).Click();
        Assert.Equal("floorArea ", _model.FindStep("large")!.When);
        panel.Find("#panel-condition").Change("floorArea >= 500");
        Assert.Empty(panel.FindAll("#panel-condition-error"));
        Assert.Empty(FlowCheck.Run(_model));
    }

    [Fact]
    public void Undo_TakesEachPanelEditBack_AndRedoReplaysIt()
    {
        var panel = Render("promised-single", "review");
        panel.Find("#panel-limit").Change("4");
        panel.Find("#panel-connect-approve").Change("denied");

        _model = _history.Undo(_model);
        Assert.Equal("approve", _model.Connections.Single(c => c.From == "review" && c.To == "approve").Outcome);
        _model = _history.Undo(_model);
        Assert.Equal(2, _model.FindStep("review")!.LimitDays);

        _model = _history.Redo(_model);
        _model = _history.Redo(_model);
        Assert.Equal((4, "denied"), (_model.FindStep("review")!.LimitDays, _model.Target("review", "approve")));
    }

    private WorkflowDefinition Reload()
    {
        var result = new WorkflowLoader().LoadFromJson("test.json", _model.ToJson());
        Assert.True(result.Succeeded, result.ToString());
        return result.Definitions.Single();
    }
}
