using System.Text.Json;
using ApprovalSystem.Workflows;

namespace ApprovalSystem.Core.Tests.Workflows;

public class WorkflowRuntimeTests
{
    private const string Lead = "WJ";

    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public void Start_PromisedSingle_OpensHandleForTheLeadDepartment()
    {
        var (instance, events) = Start("promised-single");

        var item = Assert.Single(instance.OpenWorkItems);
        Assert.Equal(new WorkItem("wi-1", "handle", null, "承办", Lead, "Officer", 3, T0, 1), item);
        Assert.Equal("handle", instance.CurrentStepId);
        Assert.False(instance.IsCompleted);
        Assert.Collection(
            events,
            e => Assert.Equal(new StepOpened(T0, "handle", "承办", 3, 1), e),
            e => Assert.Equal(new WorkItemOpened(T0, item), e));
    }

    [Fact]
    public void Act_PromisedSingleApprovedAtEveryStep_CompletesApproved()
    {
        var instance = Start("promised-single").Instance;

        instance = Act(instance, Item(instance, "handle"), Officer("o1"), Outcome.Approve).Instance;
        Assert.Equal(("review", "Officer"), (Item(instance, "review").StepId, Item(instance, "review").Role));
        instance = Act(instance, Item(instance, "review"), Officer("o2"), Outcome.Approve).Instance;
        Assert.Equal("DepartmentHead", Item(instance, "approve").Role);
        var (done, events) = Act(instance, Item(instance, "approve"), Head(), Outcome.Approve, hour: 5);

        Assert.Equal(WorkflowResult.Approved, done.Result);
        Assert.Equal(T0.AddHours(5), done.CompletedAt);
        Assert.Empty(done.OpenWorkItems);
        Assert.Equal(["handle", "review", "approve"], done.Trail);
        Assert.Collection(
            events,
            e => Assert.Equal(Outcome.Approve, Assert.IsType<WorkItemCompleted>(e).Outcome),
            e => Assert.Equal(new StepCompleted(T0.AddHours(5), "approve", "approve"), e),
            e => Assert.Equal(new WorkflowCompleted(T0.AddHours(5), "approved", WorkflowResult.Approved), e));
    }

    [Fact]
    public void Act_PromisedSingleDeniedAtReview_CompletesDenied()
    {
        var instance = Start("promised-single").Instance;
        instance = Act(instance, Item(instance, "handle"), Officer("o1"), Outcome.Approve).Instance;

        var (done, events) = Act(instance, Item(instance, "review"), Officer("o2"), Outcome.Deny);

        Assert.Equal(WorkflowResult.Denied, done.Result);
        Assert.Equal("denied", done.CurrentStepId);
        Assert.Equal(new WorkflowCompleted(T0.AddHours(1), "denied", WorkflowResult.Denied), events[^1]);
    }

    [Fact]
    public void Act_WithSectionData_StoresItUnderTheStepsSectionForLaterSteps()
    {
        var instance = Start("promised-single").Instance;

        instance = Act(instance, Item(instance, "handle"), Officer("o1"), Outcome.Approve, new Dictionary<string, string> { ["siteVisit"] = "合格" }).Instance;
        instance = Act(instance, Item(instance, "review"), Officer("o2"), Outcome.Approve, new Dictionary<string, string> { ["reviewNote"] = "材料齐全" }).Instance;

        Assert.Equal("合格", instance.Sections["handling"]["siteVisit"]);
        Assert.Equal("材料齐全", instance.Sections["review"]["reviewNote"]);
    }

    [Fact]
    public void Act_ReturnFromReview_ReopensHandleWithEntryCountTwo()
    {
        var instance = Start("promised-single").Instance;
        instance = Act(instance, Item(instance, "handle"), Officer("o1"), Outcome.Approve).Instance;

        var (returned, events) = Act(instance, Item(instance, "review"), Officer("o2"), Outcome.Return, hour: 3);

        var reopened = Item(returned, "handle");
        Assert.Equal((2, T0.AddHours(3), "wi-3"), (reopened.EntryCount, reopened.OpenedAt, reopened.Id));
        Assert.Contains(new Returned(T0.AddHours(3), "review", "handle"), events);
        Assert.Contains(new StepOpened(T0.AddHours(3), "handle", "承办", 3, 2), events);
        Assert.Empty(returned.Trail);

        var again = Act(returned, reopened.Id, Officer("o1"), Outcome.Approve).Instance;
        Assert.Equal(2, Item(again, "review").EntryCount);
    }

    [Fact]
    public void Act_ReturnFromApprove_GoesBackToReviewNotHandle()
    {
        var instance = Start("promised-single").Instance;
        instance = Act(instance, Item(instance, "handle"), Officer("o1"), Outcome.Approve).Instance;
        instance = Act(instance, Item(instance, "review"), Officer("o2"), Outcome.Approve).Instance;

        instance = Act(instance, Item(instance, "approve"), Head(), Outcome.Return).Instance;

        Assert.Equal("review", Assert.Single(instance.OpenWorkItems).StepId);
        Assert.Equal(["handle"], instance.Trail);
    }

    [Fact]
    public void Act_ParallelJoin_WaitsForEveryBranch()
    {
        var instance = Start("joint-market-entry").Instance;
        instance = Act(instance, Item(instance, "accept"), Officer("s1", "SCJG"), Outcome.Approve).Instance;
        Assert.Equal(
            [("tax", "SW"), ("seal", "GA"), ("social-security", "RS"), ("housing-fund", "GJJ")],
            instance.OpenWorkItems.Select(w => (w.BranchId!, w.Department)));

        instance = Act(instance, Item(instance, "joint", "tax"), Officer("t1", "SW"), Outcome.Approve).Instance;
        instance = Act(instance, Item(instance, "joint", "seal"), Officer("g1", "GA"), Outcome.Approve).Instance;
        instance = Act(instance, Item(instance, "joint", "social-security"), Officer("r1", "RS"), Outcome.Approve).Instance;
        Assert.Equal(("joint", "housing-fund"), (instance.CurrentStepId, Assert.Single(instance.OpenWorkItems).BranchId));

        var (joined, events) = Act(instance, Item(instance, "joint", "housing-fund"), Officer("j1", "GJJ"), Outcome.Approve);

        Assert.Equal("SCJG", Item(joined, "conclude").Department);
        Assert.Contains(new StepCompleted(T0.AddHours(1), "joint", "approve"), events);
        Assert.Empty(joined.Votes);
    }

    [Fact]
    public void Act_ParallelDeniedByOneBranchWhenAllAreNeeded_DeniesAtOnceAndCancelsTheRest()
    {
        var instance = Start("joint-market-entry").Instance;
        instance = Act(instance, Item(instance, "accept"), Officer("s1", "SCJG"), Outcome.Approve).Instance;

        var (done, events) = Act(instance, Item(instance, "joint", "seal"), Officer("g1", "GA"), Outcome.Deny);

        Assert.Equal(WorkflowResult.Denied, done.Result);
        Assert.Equal(["tax", "social-security", "housing-fund"], events.OfType<WorkItemCancelled>().Select(e => e.WorkItem.BranchId));
        Assert.Empty(done.OpenWorkItems);
    }

    [Fact]
    public void Act_ParallelWithQuorum_ApprovesWhenQuorumReachedAndCancelsTheRest()
    {
        var definition = TwoOfThree();
        var instance = WorkflowRuntime.Start(definition, Lead, NoData, T0).Instance;

        instance = WorkflowRuntime.Act(definition, instance, Item(instance, "experts", "a").Id, Officer("a1", "A"), Outcome.Approve, null, null, T0).Instance;
        var (done, events) = WorkflowRuntime.Act(definition, instance, Item(instance, "experts", "c").Id, Officer("c1", "C"), Outcome.Approve, null, null, T0);

        Assert.Equal(WorkflowResult.Approved, done.Result);
        Assert.Equal("b", Assert.Single(events.OfType<WorkItemCancelled>()).WorkItem.BranchId);
    }

    [Fact]
    public void Act_ParallelWithQuorum_DeniesOnlyWhenQuorumBecomesUnreachable()
    {
        var definition = TwoOfThree();
        var instance = WorkflowRuntime.Start(definition, Lead, NoData, T0).Instance;

        instance = WorkflowRuntime.Act(definition, instance, Item(instance, "experts", "a").Id, Officer("a1", "A"), Outcome.Deny, null, null, T0).Instance;
        Assert.Equal(2, instance.OpenWorkItems.Count);
        instance = WorkflowRuntime.Act(definition, instance, Item(instance, "experts", "b").Id, Officer("b1", "B"), Outcome.Deny, null, null, T0).Instance;

        Assert.Equal(WorkflowResult.Denied, instance.Result);
    }

    [Fact]
    public void Act_CountersignTwoOfThreeApprove_ApprovesAndOpensHeadApproval()
    {
        var instance = Start("countersign-review").Instance;
        instance = Act(instance, Item(instance, "handle"), Officer("o1"), Outcome.Approve).Instance;
        var signatures = instance.OpenWorkItems;
        Assert.Equal(3, signatures.Count);
        Assert.All(signatures, w => Assert.Equal(("countersign", Lead, "Officer"), (w.StepId, w.Department, w.Role)));

        instance = Act(instance, signatures[0].Id, Officer("o2"), Outcome.Approve, new Dictionary<string, string> { ["o2"] = "同意" }).Instance;
        Assert.Equal("countersign", instance.CurrentStepId);
        var (signed, events) = Act(instance, signatures[2].Id, Officer("o3"), Outcome.Approve, new Dictionary<string, string> { ["o3"] = "同意" });

        Assert.Equal("DepartmentHead", Item(signed, "approve").Role);
        Assert.Equal(signatures[1].Id, Assert.Single(events.OfType<WorkItemCancelled>()).WorkItem.Id);
        Assert.Equal(2, signed.Sections["countersign"].Count);
    }

    [Fact]
    public void Act_CountersignersEnteringTheSameKey_EachKeepTheirOwnEntries()
    {
        var instance = Start("countersign-review").Instance;
        instance = Act(instance, Item(instance, "handle"), Officer("o1"), Outcome.Approve).Instance;
        var signatures = instance.OpenWorkItems;

        instance = Act(instance, signatures[0].Id, Officer("o2"), Outcome.Approve, new Dictionary<string, string> { ["countersignNotes"] = "消防通道符合要求" }).Instance;
        var signed = Act(instance, signatures[1].Id, Officer("o3"), Outcome.Approve, new Dictionary<string, string> { ["countersignNotes"] = "建议补充排水方案" }).Instance;

        var entries = signed.SignerEntries["countersign"];
        Assert.Equal([("o2", "消防通道符合要求"), ("o3", "建议补充排水方案")], entries.Select(e => (e.ActorId, e.Values["countersignNotes"])));
        Assert.Equal([signatures[0].Id, signatures[1].Id], entries.Select(e => e.WorkItemId));
        Assert.Equal("建议补充排水方案", signed.Sections["countersign"]["countersignNotes"]); // later steps start from the latest

        // Kept through persistence.
        Assert.Equal(2, WorkflowInstance.FromJson(signed.ToJson()).SignerEntries["countersign"].Count);
    }

    [Fact]
    public void Act_CountersignTwoOfThreeDeny_Denies()
    {
        var instance = Start("countersign-review").Instance;
        instance = Act(instance, Item(instance, "handle"), Officer("o1"), Outcome.Approve).Instance;
        var signatures = instance.OpenWorkItems;

        instance = Act(instance, signatures[0].Id, Officer("o2"), Outcome.Deny).Instance;
        instance = Act(instance, signatures[1].Id, Officer("o3"), Outcome.Deny).Instance;

        Assert.Equal(WorkflowResult.Denied, instance.Result);
    }

    [Fact]
    public void Act_CountersignBySameOfficerTwice_Throws()
    {
        var instance = Start("countersign-review").Instance;
        instance = Act(instance, Item(instance, "handle"), Officer("o1"), Outcome.Approve).Instance;
        instance = Act(instance, instance.OpenWorkItems[0].Id, Officer("o2"), Outcome.Approve).Instance;

        var error = Assert.Throws<WorkflowException>(() => Act(instance, instance.OpenWorkItems[0].Id, Officer("o2"), Outcome.Approve));

        Assert.Equal("Actor \"o2\" has already signed step \"countersign\" (会签); each officer signs once.", error.Message);
    }

    [Theory]
    [InlineData("450", "permits-with-fire", "true")]
    [InlineData("300", "permits", "false")]
    [InlineData("\"300.5\"", "permits-with-fire", "true")]
    public void Act_CapitalConstruction_RoutesOnFloorAreaAbove300(string floorArea, string expectedStep, string conditionOutcome)
    {
        var data = new Dictionary<string, JsonElement> { ["floorArea"] = JsonDocument.Parse(floorArea).RootElement };
        var instance = Start("capital-construction", data).Instance;
        instance = Act(instance, Item(instance, "planning", "project"), Officer("f1", "FG"), Outcome.Approve).Instance;

        var (routed, events) = Act(instance, Item(instance, "planning", "land"), Officer("z1", "ZRZY"), Outcome.Approve);

        Assert.Equal(expectedStep, routed.CurrentStepId);
        Assert.Contains(new StepCompleted(T0.AddHours(1), "large", conditionOutcome), events);
        Assert.Equal(expectedStep == "permits-with-fire", routed.OpenWorkItems.Any(w => w.BranchId == "fire" && w.Department == "ZJ"));
    }

    [Fact]
    public void Act_CapitalConstructionWithoutFloorArea_ThrowsAndLeavesTheInstanceAsItWas()
    {
        var instance = Start("capital-construction").Instance;
        instance = Act(instance, Item(instance, "planning", "project"), Officer("f1", "FG"), Outcome.Approve).Instance;
        var land = Item(instance, "planning", "land");

        var error = Assert.Throws<WorkflowException>(() => Act(instance, land, Officer("z1", "ZRZY"), Outcome.Approve));

        Assert.Contains("case data field \"floorArea\", which is missing", error.Message);
        Assert.Equal(land, Item(instance, "planning", "land"));
    }

    [Theory]
    [InlineData("12000", "review")]
    [InlineData("800", "approved")]
    public void Act_ConditionOnASection_ReadsWhatTheEarlierStepWrote(string amount, string expectedStep)
    {
        var definition = Assert.Single(new WorkflowLoader().LoadFromJson("by-amount.json", """
            {
              "id": "by-amount", "version": 1, "title": "按金额分流", "start": "handle",
              "steps": [
                { "id": "handle", "kind": "task", "title": "承办", "department": "$lead", "role": "Officer", "limitDays": 3, "writes": "handling",
                  "fields": [{ "key": "amount", "label": "金额", "type": "number" }], "outcomes": ["approve", "deny"] },
                { "id": "large", "kind": "condition", "title": "金额是否超过一万元", "when": "handling.amount > 10000 and usage in ['住宅', '商业']" },
                { "id": "review", "kind": "task", "title": "审核", "department": "$lead", "role": "Officer", "limitDays": 2, "writes": "review",
                  "outcomes": ["approve", "deny"] },
                { "id": "approved", "kind": "end", "title": "准予", "result": "approved" },
                { "id": "denied", "kind": "end", "title": "不予", "result": "denied" }
              ],
              "connections": [
                { "from": "handle", "outcome": "approve", "to": "large" },
                { "from": "handle", "outcome": "deny", "to": "denied" },
                { "from": "large", "outcome": "true", "to": "review" },
                { "from": "large", "outcome": "false", "to": "approved" },
                { "from": "review", "outcome": "approve", "to": "approved" },
                { "from": "review", "outcome": "deny", "to": "denied" }
              ]
            }
            """).Definitions);
        var data = new Dictionary<string, JsonElement> { ["usage"] = JsonDocument.Parse("\"住宅\"").RootElement };
        var instance = WorkflowRuntime.Start(definition, Lead, data, T0).Instance;

        var (after, events) = WorkflowRuntime.Act(
            definition, instance, instance.OpenWorkItems[0].Id, Officer("o1"), Outcome.Approve, null,
            new Dictionary<string, string> { ["amount"] = amount }, T0.AddHours(1));

        Assert.Equal(expectedStep, after.CurrentStepId);
        Assert.Contains(new StepCompleted(T0.AddHours(1), "large", expectedStep == "review" ? "true" : "false"), events);
    }

    [Fact]
    public void Start_ConditionAskingWhetherAFieldIsEmpty_RunsWithoutTheField()
    {
        var definition = Assert.Single(new WorkflowLoader().LoadFromJson("agent.json", """
            {
              "id": "agent", "version": 1, "title": "委托代理", "start": "agent",
              "steps": [
                { "id": "agent", "kind": "condition", "title": "是否委托代理人", "when": "agentName is not empty and agentIdNumber is empty" },
                { "id": "check", "kind": "task", "title": "核验委托", "department": "$lead", "role": "Officer", "limitDays": 1, "writes": "check",
                  "outcomes": ["approve", "deny"] },
                { "id": "approved", "kind": "end", "title": "准予", "result": "approved" },
                { "id": "denied", "kind": "end", "title": "不予", "result": "denied" }
              ],
              "connections": [
                { "from": "agent", "outcome": "true", "to": "check" },
                { "from": "agent", "outcome": "false", "to": "approved" },
                { "from": "check", "outcome": "approve", "to": "approved" },
                { "from": "check", "outcome": "deny", "to": "denied" }
              ]
            }
            """).Definitions);

        Assert.Equal(WorkflowResult.Approved, WorkflowRuntime.Start(definition, Lead, NoData, T0).Instance.Result);
        var withAgent = new Dictionary<string, JsonElement> { ["agentName"] = JsonDocument.Parse("\"李四\"").RootElement };
        Assert.Equal("check", WorkflowRuntime.Start(definition, Lead, withAgent, T0).Instance.CurrentStepId);
    }

    [Fact]
    public void Act_ReturnFromParallel_CancelsItsBranchesAndReopensThePreviousStep()
    {
        var instance = Start("joint-market-entry").Instance;
        instance = Act(instance, Item(instance, "accept"), Officer("s1", "SCJG"), Outcome.Approve).Instance;
        instance = Act(instance, Item(instance, "joint", "tax"), Officer("t1", "SW"), Outcome.Approve).Instance;

        var (returned, events) = Act(instance, Item(instance, "joint", "seal"), Officer("g1", "GA"), Outcome.Return);

        Assert.Equal(2, Item(returned, "accept").EntryCount);
        Assert.Equal(2, events.OfType<WorkItemCancelled>().Count());
        Assert.Empty(returned.Votes);
    }

    [Fact]
    public void Act_WithWrongRole_Throws()
    {
        var instance = Start("promised-single").Instance;

        var error = Assert.Throws<WorkflowException>(() => Act(instance, Item(instance, "handle"), Head(), Outcome.Approve));

        Assert.Equal("Work item \"wi-1\" (承办) needs role \"Officer\"; actor \"head\" has DepartmentHead.", error.Message);
    }

    [Fact]
    public void Act_WithWrongDepartment_Throws()
    {
        var instance = Start("promised-single").Instance;

        var error = Assert.Throws<WorkflowException>(() => Act(instance, Item(instance, "handle"), Officer("o1", "SW"), Outcome.Approve));

        Assert.Equal("Work item \"wi-1\" (承办) is for department \"WJ\"; actor \"o1\" is in \"SW\".", error.Message);
    }

    [Fact]
    public void Act_OnClosedWorkItem_Throws()
    {
        var instance = Start("promised-single").Instance;
        var handle = Item(instance, "handle");
        var next = Act(instance, handle, Officer("o1"), Outcome.Approve).Instance;

        var error = Assert.Throws<WorkflowException>(() => Act(next, handle, Officer("o1"), Outcome.Approve));

        Assert.Equal("Work item \"wi-1\" is already closed.", error.Message);
    }

    [Fact]
    public void Act_OnUnknownWorkItem_Throws()
    {
        var instance = Start("promised-single").Instance;

        var error = Assert.Throws<WorkflowException>(() => Act(instance, "wi-9", Officer("o1"), Outcome.Approve));

        Assert.Equal("There is no work item \"wi-9\".", error.Message);
    }

    [Fact]
    public void Act_WithOutcomeTheStepDoesNotOffer_Throws()
    {
        var instance = Start("promised-single").Instance;

        var error = Assert.Throws<WorkflowException>(() => Act(instance, Item(instance, "handle"), Officer("o1"), Outcome.Return));

        Assert.Equal("Work item \"wi-1\" (承办) does not offer outcome \"return\" (offers: approve, deny).", error.Message);
    }

    [Fact]
    public void Act_OnCompletedInstance_Throws()
    {
        var instance = Start("promised-single").Instance;
        var handle = Item(instance, "handle");
        instance = Act(instance, handle, Officer("o1"), Outcome.Deny).Instance;

        var error = Assert.Throws<WorkflowException>(() => Act(instance, handle, Officer("o1"), Outcome.Approve));

        Assert.Equal("The workflow is already completed (denied); work item \"wi-1\" is closed.", error.Message);
    }

    [Fact]
    public void Act_WithAnotherDefinition_Throws()
    {
        var instance = Start("promised-single").Instance;

        Assert.Throws<WorkflowException>(() => WorkflowRuntime.Act(
            ShippedWorkflows.Get("reported"), instance, "wi-1", Officer("o1"), Outcome.Approve, null, null, T0));
    }

    [Fact]
    public void Act_DoesNotChangeTheInstanceItWasGiven()
    {
        var instance = Start("promised-single").Instance;
        var before = instance.ToJson();

        Act(instance, Item(instance, "handle"), Officer("o1"), Outcome.Approve, new Dictionary<string, string> { ["k"] = "v" });

        Assert.Equal(before, instance.ToJson());
    }

    [Fact]
    public void ToJson_LeavesOutNullsAndEmptyCollections_AndReadsBackTheSameInstance()
    {
        var started = Start("promised-single").Instance;
        var acted = Act(started, Item(started, "handle"), Officer("o1"), Outcome.Approve, new Dictionary<string, string> { ["k"] = "v" }).Instance;

        var json = started.ToJson();

        // Stored in every case row: what is empty or null is not written (issue 14's bytes a case).
        Assert.DoesNotContain("\"votes\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"signerEntries\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("null", json, StringComparison.Ordinal);
        Assert.Contains("\"caseData\":{}", json, StringComparison.Ordinal); // required: kept even when empty
        foreach (var instance in new[] { started, acted })
        {
            var back = WorkflowInstance.FromJson(instance.ToJson());
            Assert.Equal(instance.ToJson(), back.ToJson());
            Assert.Equal(instance.OpenWorkItems, back.OpenWorkItems);
            Assert.Equal(instance.Trail, back.Trail);
            Assert.Empty(back.Votes);
        }

        // A row written before (every property, nulls and empty collections included) still reads.
        var old = JsonSerializer.Serialize(started, WorkflowJson.Options);
        Assert.Contains("\"votes\":[]", old, StringComparison.Ordinal);
        Assert.Equal(json, WorkflowInstance.FromJson(old).ToJson());
        Assert.True(json.Length < old.Length);
    }

    [Fact]
    public void Start_Immediate_ResolvesCentrePlaceholderToTheCentreDepartment()
    {
        var byDefault = Start("immediate").Instance;
        var configured = WorkflowRuntime.Start(ShippedWorkflows.Get("immediate"), Lead, NoData, T0, centreDepartment: "ZWZX").Instance;

        Assert.Equal((WorkflowDepartments.DefaultCentre, "Clerk"), (Item(byDefault, "window").Department, Item(byDefault, "window").Role));
        Assert.Equal("ZWZX", Item(configured, "window").Department);
    }

    [Fact]
    public void Act_ReportedApprovedByHead_CompletesReported()
    {
        var instance = Start("reported").Instance;
        instance = Act(instance, Item(instance, "review"), Officer("o1"), Outcome.Approve).Instance;

        instance = Act(instance, Item(instance, "report"), Head(), Outcome.Approve).Instance;

        Assert.Equal(WorkflowResult.Reported, instance.Result);
    }

    [Fact]
    public void ToJson_MidJointStep_RoundTripsAndCanContinue()
    {
        var data = new Dictionary<string, JsonElement> { ["price"] = JsonSerializer.SerializeToElement(1_200_000), ["buyer"] = JsonSerializer.SerializeToElement("张三") };
        var instance = Start("property-registration", data).Instance;
        instance = Act(instance, Item(instance, "joint", "deed-tax"), Officer("t1", "SW"), Outcome.Approve, new Dictionary<string, string> { ["taxPaid"] = "35000.00" }).Instance;
        var json = instance.ToJson();

        var restored = WorkflowInstance.FromJson(json);

        Assert.Equal(json, restored.ToJson());
        Assert.Equal(instance.OpenWorkItems, restored.OpenWorkItems);
        Assert.Equal(instance.Votes, restored.Votes);
        restored = Act(restored, Item(restored, "joint", "registration"), Officer("b1", "BDC"), Outcome.Approve).Instance;
        restored = Act(restored, Item(restored, "register"), Head("BDC"), Outcome.Approve).Instance;
        Assert.Equal(WorkflowResult.Approved, restored.Result);
        Assert.Equal("35000.00", restored.Sections["deedTax"]["taxPaid"]);
        Assert.Equal(1_200_000, restored.CaseData["price"].GetInt32());
    }

    [Fact]
    public void Events_SerializeWithTheirType()
    {
        var events = Start("promised-single").Events;

        var json = JsonSerializer.Serialize(events, WorkflowJson.Options);
        var restored = JsonSerializer.Deserialize<List<WorkflowEvent>>(json, WorkflowJson.Options)!;

        Assert.Contains("\"type\":\"stepOpened\"", json);
        Assert.Contains("\"title\":\"承办\"", json);
        Assert.Equal(events, restored);
    }

    private static readonly Dictionary<string, JsonElement> NoData = [];

    private static WorkflowTransition Start(string id, IReadOnlyDictionary<string, JsonElement>? data = null) =>
        WorkflowRuntime.Start(ShippedWorkflows.Get(id), Lead, data ?? NoData, T0);

    private static WorkflowTransition Act(
        WorkflowInstance instance, string workItemId, Actor actor, Outcome outcome, IReadOnlyDictionary<string, string>? data = null, int hour = 1) =>
        WorkflowRuntime.Act(ShippedWorkflows.Get(instance.DefinitionId), instance, workItemId, actor, outcome, "意见", data, T0.AddHours(hour));

    private static WorkflowTransition Act(
        WorkflowInstance instance, WorkItem item, Actor actor, Outcome outcome, IReadOnlyDictionary<string, string>? data = null, int hour = 1) =>
        Act(instance, item.Id, actor, outcome, data, hour);

    private static WorkItem Item(WorkflowInstance instance, string stepId, string? branchId = null) =>
        Assert.Single(instance.OpenWorkItems, w => w.StepId == stepId && w.BranchId == branchId);

    private static Actor Officer(string id, string department = Lead) => new(id, department, "Officer");

    private static Actor Head(string department = Lead) => new("head", department, "DepartmentHead");

    /// <summary>Three expert departments, two approvals suffice.</summary>
    private static WorkflowDefinition TwoOfThree()
    {
        const string json = """
            {
              "id": "two-of-three", "version": 1, "title": "专家评审", "start": "experts",
              "steps": [
                {
                  "id": "experts", "kind": "parallel", "title": "专家评审", "limitDays": 5, "quorum": 2,
                  "branches": [
                    { "id": "a", "title": "甲", "department": "A", "role": "Officer", "limitDays": 5, "writes": "a" },
                    { "id": "b", "title": "乙", "department": "B", "role": "Officer", "limitDays": 5, "writes": "b" },
                    { "id": "c", "title": "丙", "department": "C", "role": "Officer", "limitDays": 5, "writes": "c" }
                  ]
                },
                { "id": "approved", "kind": "end", "title": "通过", "result": "approved" },
                { "id": "denied", "kind": "end", "title": "未通过", "result": "denied" }
              ],
              "connections": [
                { "from": "experts", "outcome": "approve", "to": "approved" },
                { "from": "experts", "outcome": "deny", "to": "denied" }
              ]
            }
            """;
        var result = new WorkflowLoader().LoadFromJson("two-of-three.json", json);
        return Assert.Single(result.Definitions);
    }
}
