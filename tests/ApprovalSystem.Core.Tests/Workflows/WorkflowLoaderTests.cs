using System.Text.Json.Nodes;
using ApprovalSystem.Workflows;

namespace ApprovalSystem.Core.Tests.Workflows;

public class WorkflowLoaderTests
{
    // handle -approve-> review -approve-> approved; either deny -> denied.
    private const string SampleJson = """
        {
          "$schema": "./workflow.schema.json",
          "id": "sample",
          "version": 1,
          "title": "示例流程",
          "start": "handle",
          "steps": [
            { "id": "handle", "kind": "task", "title": "承办", "department": "$lead", "role": "Officer", "limitDays": 3, "writes": "handling", "outcomes": ["approve", "deny"] },
            { "id": "review", "kind": "task", "title": "审核", "department": "$lead", "role": "Officer", "limitDays": 2, "writes": "review", "outcomes": ["approve", "deny", "return"] },
            { "id": "approved", "kind": "end", "title": "准予", "result": "approved" },
            { "id": "denied", "kind": "end", "title": "不予", "result": "denied" }
          ],
          "connections": [
            { "from": "handle", "outcome": "approve", "to": "review" },
            { "from": "handle", "outcome": "deny", "to": "denied" },
            { "from": "review", "outcome": "approve", "to": "approved" },
            { "from": "review", "outcome": "deny", "to": "denied" }
          ]
        }
        """;

    private const string JointReview = """
        {
          "id": "review", "kind": "parallel", "title": "会审", "limitDays": 3, "outcomes": ["approve", "deny", "return"],
          "branches": [
            { "id": "a", "title": "甲部门审查", "department": "SW", "role": "Officer", "limitDays": 2, "writes": "a" },
            { "id": "b", "title": "乙部门审查", "department": "GA", "role": "Officer", "limitDays": 2, "writes": "b" }
          ]
        }
        """;

    [Fact]
    public void Load_Sample_Succeeds()
    {
        var result = Load(Sample());

        Assert.True(result.Succeeded, result.ToString());
        var definition = Assert.Single(result.Definitions);
        Assert.Equal(("sample", 1, "handle", 4), (definition.Id, definition.Version, definition.Start, definition.Steps.Count));
        var handle = Assert.IsType<TaskStep>(definition.Steps[0]);
        Assert.Equal(("承办", "$lead", "Officer", 3, "handling"), (handle.Title, handle.Department, handle.Role, handle.LimitDays, handle.Writes));
        Assert.Equal([Outcome.Approve, Outcome.Deny], handle.Outcomes);
    }

    [Fact]
    public void Load_InvalidJson_ReportsFileAndLine()
    {
        var result = new WorkflowLoader().LoadFromJson("sample.json", "{\n  \"id\": \"sample\",\n  \"title\": ,\n}");

        Assert.Empty(result.Definitions);
        Assert.StartsWith("sample.json: invalid JSON at line 3, column 12: ", Assert.Single(result.Errors).ToString());
    }

    [Theory]
    [InlineData("id")]
    [InlineData("version")]
    [InlineData("title")]
    [InlineData("start")]
    [InlineData("steps")]
    public void Load_WithoutRequiredProperty_ReportsIt(string property)
    {
        var json = Sample();
        json.Remove(property);

        Assert.Equal($"sample.json: missing \"{property}\"", SingleError(json));
    }

    [Fact]
    public void Load_DuplicateStepId_ReportsStep()
    {
        var json = Sample();
        Steps(json).Add(Node("""{ "id": "review", "kind": "end", "title": "重复", "result": "approved" }"""));

        Assert.Equal("sample.json: step \"review\": duplicate step id", SingleError(json));
    }

    [Fact]
    public void Load_StepFields_AreReadWithTheirTypesOptionsAndUnits()
    {
        var json = Sample();
        Steps(json)[0]!["fields"] = Node("""
            [
              { "key": "checkResult", "label": "核查结论", "type": "choice", "options": ["符合", "不符合"], "required": true },
              { "key": "area", "label": "经营面积", "type": "number", "unit": "平方米" },
              { "key": "checkedOn", "label": "核查日期", "type": "date" }
            ]
            """);

        var definition = Assert.Single(Load(json).Definitions);

        var fields = definition.FieldsOf("handle", null);
        Assert.Equal(
            [
                ("checkResult", "核查结论", FieldKind.Select, true, "符合|不符合", (string?)null),
                ("area", "经营面积", FieldKind.Number, false, "", "平方米"),
                ("checkedOn", "核查日期", FieldKind.Date, false, "", null),
            ],
            fields.Select(f => (f.Key, f.Label, f.Type, f.Required, string.Join('|', f.Options), f.Unit)));
        Assert.Empty(definition.FieldsOf("review", null));
        Assert.Equal(("承办", 3), definition.Writer("handling") is { } writer ? (writer.Title, writer.Fields.Count) : default);
    }

    [Fact]
    public void Load_AFieldsDeclaredLength_AndTheIdentifierTypes_AreRead()
    {
        var json = Sample();
        Steps(json)[1]!["fields"] = Node("""
            [{ "key": "note", "label": "备注", "type": "text", "maxLength": 500 },
             { "key": "phone", "label": "联系电话", "type": "phone" },
             { "key": "holderId", "label": "持证人身份证", "type": "idcard" },
             { "key": "unitCode", "label": "统一社会信用代码", "type": "creditcode" }]
            """);

        var fields = Assert.Single(Load(json).Definitions).FieldsOf("review", null);

        Assert.Equal([(FieldKind.Text, (int?)500), (FieldKind.Phone, null), (FieldKind.IdCard, null), (FieldKind.CreditCode, null)], fields.Select(f => (f.Type, f.MaxLength)));
    }

    [Theory]
    [InlineData("""[{ "key": "a", "label": "甲", "type": "money" }]""", "field \"a\": unknown type \"money\" (allowed: text, textarea, number, date, choice, phone, idcard, creditcode)")]
    [InlineData("""[{ "key": "a", "label": "甲", "type": "number", "maxLength": 20 }]""", "field \"a\": \"maxLength\" belongs to a text or textarea field only")]
    [InlineData("""[{ "key": "a", "label": "甲", "type": "text", "maxLength": 0 }]""", "field \"a\": \"maxLength\" must be at least 1")]
    [InlineData("""[{ "key": "a", "label": "甲", "type": "text", "maxLength": "long" }]""", "field \"a\": \"maxLength\" must be an integer")]
    [InlineData("""[{ "key": "a", "label": "甲", "type": "choice", "options": ["只有一个"] }]""", "field \"a\": a choice field needs at least 2 \"options\"")]
    [InlineData("""[{ "key": "a", "label": "甲", "type": "text", "options": ["x", "y"] }]""", "field \"a\": \"options\" belong to a choice field only")]
    [InlineData("""[{ "key": "a", "label": "甲", "type": "text" }, { "key": "a", "label": "乙", "type": "text" }]""", "field \"a\": duplicate field key")]
    [InlineData("""[{ "key": "1st", "label": "甲", "type": "text" }]""", "field \"1st\": \"key\" must start with a letter and hold only letters, digits and '_' (it is stored as a case-data key)")]
    [InlineData("""[{ "key": "a", "label": "甲", "type": "text", "required": "yes" }]""", "field \"a\": \"required\" must be true or false")]
    [InlineData("""[{ "key": "a", "label": "甲", "type": "text", "hint": "x" }]""", "fields[0]: unknown property \"hint\"")]
    [InlineData("""[{ "label": "甲", "type": "text" }]""", "fields[0]: missing \"key\"")]
    public void Load_ABrokenField_NamesTheStepTheFieldAndTheProblem(string fields, string problem)
    {
        var json = Sample();
        Steps(json)[1]!["fields"] = Node(fields);

        Assert.Equal($"sample.json: step \"review\": {problem}", SingleError(json));
    }

    [Fact]
    public void Load_ABranchLongerThanItsJointStep_IsRejected()
    {
        var json = Sample();
        Steps(json)[1] = Node(JointReview);
        Steps(json)[1]!["branches"]![0]!["limitDays"] = 5;

        Assert.Equal("sample.json: step \"review\": branch \"a\": \"limitDays\" (5) exceeds the joint step's 3: the joint step's limit covers all its branches", SingleError(json));
    }

    [Fact]
    public void Load_ABrokenFieldOfABranch_NamesTheBranch()
    {
        var json = Sample();
        Steps(json)[1] = Node(JointReview);
        Steps(json)[1]!["branches"]![1]!["fields"] = Node("""[{ "key": "x", "label": "乙", "type": "number", "unit": 5 }]""");

        Assert.Equal("sample.json: step \"review\": branch \"b\": field \"x\": \"unit\" must be a string", SingleError(json));
    }

    [Fact]
    public void Load_UnknownStepKind_ReportsStepAndKind()
    {
        var json = Sample();
        Steps(json)[1]!["kind"] = "approval";

        Assert.Equal(
            "sample.json: step \"review\": unknown kind \"approval\" (allowed: task, parallel, countersign, condition, end)",
            SingleError(json));
    }

    [Fact]
    public void Load_StepWithoutId_ReportsItsPosition()
    {
        var json = Sample();
        Steps(json)[3]!.AsObject().Remove("id");

        Assert.Contains("sample.json: steps[3]: missing \"id\"", Errors(json));
    }

    [Fact]
    public void Load_ConnectionFromUnknownStep_ReportsConnection()
    {
        var json = Sample();
        Connections(json).Add(Node("""{ "from": "revew", "outcome": "approve", "to": "approved" }"""));

        Assert.Equal("sample.json: connection from unknown step \"revew\" (outcome \"approve\", to \"approved\")", SingleError(json));
    }

    [Fact]
    public void Load_DistinctFrom_IsReadAsTheStepsToKeepApart()
    {
        var json = Sample();
        Steps(json)[1]!["distinctFrom"] = new JsonArray("handle");

        var definition = Assert.Single(Load(json).Definitions);

        Assert.Equal(["handle"], ((HumanStep)definition.GetStep("review")).DistinctFrom);
        Assert.Empty(((HumanStep)definition.GetStep("handle")).DistinctFrom);
    }

    [Theory]
    [InlineData("hadle", "sample.json: step \"review\": \"distinctFrom\" names \"hadle\", which is not a task or countersign step of this workflow")]
    [InlineData("approved", "sample.json: step \"review\": \"distinctFrom\" names \"approved\", which is not a task or countersign step of this workflow")]
    [InlineData("review", "sample.json: step \"review\": \"distinctFrom\" names the step itself: list the earlier steps whose officer may not act on this one")]
    public void Load_DistinctFromAStepThatCannotBeKeptApart_NamesStepAndProblem(string other, string expected)
    {
        var json = Sample();
        Steps(json)[1]!["distinctFrom"] = new JsonArray(other);

        Assert.Equal(expected, SingleError(json));
    }

    [Fact]
    public void Load_StepTargetsUnknownStep_ReportsFileStepAndProblem()
    {
        var json = Sample();
        Connections(json)[2]!["to"] = "aprove";

        Assert.Contains("sample.json: step \"review\": connection outcome \"approve\" targets unknown step \"aprove\"", Errors(json));
    }

    [Fact]
    public void Load_ConnectionOutcomeTheStepKindDoesNotHave_ReportsAllowedOutcomes()
    {
        var json = Sample();
        Connections(json).Add(Node("""{ "from": "handle", "outcome": "true", "to": "review" }"""));

        Assert.Equal(
            "sample.json: step \"handle\": connection outcome \"true\" is not an outcome of this task step (allowed: approve, deny)",
            SingleError(json));
    }

    [Fact]
    public void Load_ConnectionFromEndStep_ReportsEndHasNoOutcomes()
    {
        var json = Sample();
        Connections(json).Add(Node("""{ "from": "approved", "outcome": "approve", "to": "handle" }"""));

        Assert.Equal("sample.json: step \"approved\": connection outcome \"approve\": an end step has no outcomes", SingleError(json));
    }

    [Fact]
    public void Load_TwoConnectionsForOneOutcome_ReportsDuplicate()
    {
        var json = Sample();
        Connections(json).Add(Node("""{ "from": "handle", "outcome": "deny", "to": "approved" }"""));

        Assert.Equal("sample.json: step \"handle\": more than one connection for outcome \"deny\"", SingleError(json));
    }

    [Fact]
    public void Load_UnknownOutcomeInStep_ReportsAllowedOutcomes()
    {
        var json = Sample();
        Steps(json)[1]!["outcomes"] = Node("""["approve", "deny", "maybe"]""");

        Assert.Equal("sample.json: step \"review\": unknown outcome \"maybe\" (allowed: approve, deny, return)", SingleError(json));
    }

    [Fact]
    public void Load_OutcomeWithoutConnection_ReportsStepAndOutcome()
    {
        var json = Sample();
        Connections(json).RemoveAt(1);

        Assert.Equal("sample.json: step \"handle\": outcome \"deny\" has no connection", SingleError(json));
    }

    [Fact]
    public void Load_ReturnOnFirstHumanStepWithoutConnection_ReportsNothingToReturnTo()
    {
        var json = Sample();
        Steps(json)[0]!["outcomes"] = Node("""["approve", "deny", "return"]""");

        Assert.Equal(
            "sample.json: step \"handle\": outcome \"return\" has no previous human step to go back to; connect it explicitly or remove it",
            SingleError(json));
    }

    [Fact]
    public void Load_ReturnOnFirstHumanStepWithExplicitConnection_Succeeds()
    {
        var json = Sample();
        Steps(json)[0]!["outcomes"] = Node("""["approve", "deny", "return"]""");
        Connections(json).Add(Node("""{ "from": "handle", "outcome": "return", "to": "denied" }"""));

        Assert.True(Load(json).Succeeded);
    }

    [Fact]
    public void Load_UnreachableStep_ReportsStep()
    {
        var json = Sample();
        Steps(json).Add(Node("""{ "id": "archived", "kind": "end", "title": "归档", "result": "approved" }"""));

        Assert.Equal("sample.json: step \"archived\": unreachable from the start step \"handle\"", SingleError(json));
    }

    [Fact]
    public void Load_NoEndStepReachable_ReportsIt()
    {
        var json = Sample();
        Steps(json).RemoveAt(3);
        Steps(json).RemoveAt(2);
        json["connections"] = Node("""
            [
              { "from": "handle", "outcome": "approve", "to": "review" },
              { "from": "handle", "outcome": "deny", "to": "review" },
              { "from": "review", "outcome": "approve", "to": "handle" },
              { "from": "review", "outcome": "deny", "to": "handle" }
            ]
            """);

        Assert.Equal("sample.json: no end step is reachable from the start step \"handle\"", SingleError(json));
    }

    [Fact]
    public void Load_LoopWithoutExit_ReportsTheTrappedSteps()
    {
        var json = Sample();
        Steps(json).Add(Node("""{ "id": "check", "kind": "task", "title": "核查", "department": "SW", "role": "Officer", "limitDays": 1, "writes": "check", "outcomes": ["approve", "deny"] }"""));
        Steps(json).Add(Node("""{ "id": "recheck", "kind": "task", "title": "复核", "department": "SW", "role": "Officer", "limitDays": 1, "writes": "recheck", "outcomes": ["approve", "deny"] }"""));
        Connections(json)[3]!["to"] = "check";
        foreach (var (from, outcome, to) in new[] { ("check", "approve", "recheck"), ("check", "deny", "recheck"), ("recheck", "approve", "check"), ("recheck", "deny", "check") })
        {
            Connections(json).Add(new JsonObject { ["from"] = from, ["outcome"] = outcome, ["to"] = to });
        }

        Assert.Equal(
            "sample.json: step \"check\": loop without exit: no end step is reachable from steps \"check\", \"recheck\"",
            SingleError(json));
    }

    [Fact]
    public void Load_ConditionsCycle_ReportsTheCycle()
    {
        var json = Sample();
        Steps(json).Add(Node("""{ "id": "c1", "kind": "condition", "title": "条件一", "field": "a", "operator": ">", "value": 1 }"""));
        Steps(json).Add(Node("""{ "id": "c2", "kind": "condition", "title": "条件二", "field": "b", "operator": ">", "value": 1 }"""));
        Connections(json)[0]!["to"] = "c1";
        foreach (var (from, outcome, to) in new[] { ("c1", "true", "c2"), ("c1", "false", "review"), ("c2", "true", "c1"), ("c2", "false", "review") })
        {
            Connections(json).Add(new JsonObject { ["from"] = from, ["outcome"] = outcome, ["to"] = to });
        }

        Assert.Equal(
            "sample.json: step \"c1\": conditions form a cycle with no human step in it: \"c1\" -> \"c2\" -> \"c1\"",
            SingleError(json));
    }

    [Fact]
    public void Load_NegativeTaskLimit_ReportsStepAndValue()
    {
        var json = Sample();
        Steps(json)[0]!["limitDays"] = -2;

        Assert.Equal("sample.json: step \"handle\": \"limitDays\" must be 0 (the same working day) or a positive number of working days (was -2)", SingleError(json));
    }

    [Fact]
    public void Load_TaskLimitZero_IsTheSameWorkingDay()
    {
        var json = Sample();
        Steps(json)[0]!["limitDays"] = 0;

        Assert.Equal(0, ((TaskStep)Assert.Single(Load(json).Definitions).GetStep("handle")).LimitDays);
    }

    [Fact]
    public void Load_CountersignLimitZero_IsRefused()
    {
        var json = WithCountersignReview(signers: 2, quorum: 2);
        Steps(json)[1]!["limitDays"] = 0;

        Assert.Equal("sample.json: step \"review\": \"limitDays\" must be a positive number of working days (was 0)", SingleError(json));
    }

    [Fact]
    public void Load_NonIntegerLimit_ReportsType()
    {
        var json = Sample();
        Steps(json)[0]!["limitDays"] = "3";

        Assert.Equal("sample.json: step \"handle\": \"limitDays\" must be an integer", SingleError(json));
    }

    [Fact]
    public void Load_BranchWithNonPositiveLimit_ReportsStepAndBranch()
    {
        var json = WithJointReview();
        Steps(json)[1]!["branches"]![1]!["limitDays"] = 0;

        Assert.Equal(
            "sample.json: step \"review\": branch \"b\": \"limitDays\" must be a positive number of working days (was 0)",
            SingleError(json));
    }

    [Fact]
    public void Load_UnknownRole_ReportsKnownRoles()
    {
        var json = Sample();
        Steps(json)[0]!["role"] = "Offcer";

        Assert.Equal(
            "sample.json: step \"handle\": unknown role \"Offcer\" (known: Administrator, Agent, Applicant, Clerk, DepartmentHead, Officer, Supervisor)",
            SingleError(json));
    }

    [Fact]
    public void Load_RoleFromConfiguredKnownRoles_Succeeds()
    {
        var json = Sample();
        Steps(json)[0]!["role"] = "Expert";
        var options = new WorkflowLoaderOptions { KnownRoles = new HashSet<string> { "Officer", "Expert" } };

        Assert.True(Load(json, options).Succeeded);
    }

    [Fact]
    public void Load_ParallelQuorumAboveBranchCount_ReportsRange()
    {
        var json = WithJointReview();
        Steps(json)[1]!["quorum"] = 3;

        Assert.Equal("sample.json: step \"review\": \"quorum\" must be between 1 and 2 (was 3)", SingleError(json));
    }

    [Fact]
    public void Load_ParallelWithOneBranch_ReportsIt()
    {
        var json = WithJointReview();
        ((JsonArray)Steps(json)[1]!["branches"]!).RemoveAt(1);

        Assert.Equal("sample.json: step \"review\": a parallel step needs at least 2 branches (has 1)", SingleError(json));
    }

    [Fact]
    public void Load_ParallelOutcomesWithoutDeny_ReportsIt()
    {
        var json = WithJointReview();
        Steps(json)[1]!["outcomes"] = Node("""["approve", "return"]""");

        Assert.Contains("sample.json: step \"review\": \"outcomes\" must include \"approve\" and \"deny\"", Errors(json));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void Load_CountersignQuorumOutOfRange_ReportsRange(int quorum)
    {
        var json = WithCountersignReview(signers: 3, quorum);

        Assert.Equal($"sample.json: step \"review\": \"quorum\" must be between 1 and 3 (was {quorum})", SingleError(json));
    }

    [Fact]
    public void Load_CountersignWithOneSigner_ReportsIt()
    {
        var json = WithCountersignReview(signers: 1, quorum: 1);

        Assert.Equal("sample.json: step \"review\": \"signers\" must be at least 2 (was 1)", SingleError(json));
    }

    [Fact]
    public void Load_ConditionWithUnknownOperator_ReportsAllowedOperators()
    {
        var json = WithCondition("=>", 300);

        Assert.Equal("sample.json: step \"large\": unknown operator \"=>\" (allowed: >, >=, <, <=, ==, !=)", SingleError(json));
    }

    [Fact]
    public void Load_ConditionOrderingAString_ReportsOperatorNeedsNumber()
    {
        var json = WithCondition(">", "big");

        Assert.Equal(
            "sample.json: step \"large\": operator \">\" needs a number \"value\" (a string can only be compared with == or !=)",
            SingleError(json));
    }

    [Fact]
    public void Load_ConditionComparingAStringForEquality_Succeeds()
    {
        var result = Load(WithCondition("==", "enterprise"));

        Assert.True(result.Succeeded, result.ToString());
    }

    [Fact]
    public void Load_ConditionWhen_ParsesTheCondition()
    {
        var json = WithWhen("usage in ['住宅', '商业'] and floorArea > 300");

        var step = Assert.IsType<ConditionStep>(Assert.Single(Load(json).Definitions).GetStep("large"));

        Assert.Equal("usage in ['住宅', '商业'] and floorArea > 300", step.When.ToText());
    }

    [Fact]
    public void Load_OldFieldOperatorValueForm_BecomesTheSameComparison()
    {
        var old = Assert.IsType<ConditionStep>(Assert.Single(Load(WithCondition(">", 300)).Definitions).GetStep("large"));
        var text = Assert.IsType<ConditionStep>(Assert.Single(Load(WithCondition("==", "01")).Definitions).GetStep("large"));

        Assert.Equal(Assert.IsType<ConditionStep>(Load(WithWhen("floorArea > 300")).Definitions[0].GetStep("large")).When, old.When);
        Assert.Equal("floorArea == '01'", text.When.ToText());
    }

    [Fact]
    public void Load_ConditionWhenWithASyntaxError_ReportsTheChineseErrorAndItsPosition()
    {
        Assert.Equal("sample.json: step \"large\": \"when\" 第11个字符处：请用“==”表示等于", SingleError(WithWhen("floorArea = 300")));
    }

    [Fact]
    public void Load_ConditionWithWhenAndField_ReportsBoth()
    {
        var json = WithWhen("floorArea > 300");
        Steps(json)[^1]!["field"] = "floorArea";

        Assert.Equal(
            "sample.json: step \"large\": give the condition either as \"when\" or as \"field\"/\"operator\"/\"value\", not both",
            SingleError(json));
    }

    [Fact]
    public void Load_ConditionReadingASectionNoStepWrites_PinsItToTheStep()
    {
        Assert.Equal(
            "sample.json: step \"large\": \"when\" reads \"deedTax.amount\", but no step or branch writes a section \"deedTax\"",
            SingleError(WithWhen("deedTax.amount > 0")));
    }

    [Fact]
    public void Load_ConditionReadingAKeyTheWritingStepDoesNotAskFor_NamesItsFields()
    {
        var json = WithWhen("handling.amont > 0");
        Steps(json)[0]!["fields"] = Node("""[{ "key": "amount", "label": "金额", "type": "number" }]""");

        Assert.Equal(
            "sample.json: step \"large\": \"when\" reads \"handling.amont\", but \"承办\" does not ask for \"amont\" (its fields: amount)",
            SingleError(json));
        Assert.True(Load(WithWhen("handling.amount > 0 or handling.other is empty")).Succeeded);
    }

    [Fact]
    public void Load_TaskWithoutWrites_ReportsMissingWrites()
    {
        var json = Sample();
        Steps(json)[0]!.AsObject().Remove("writes");

        Assert.Equal("sample.json: step \"handle\": missing \"writes\"", SingleError(json));
    }

    [Fact]
    public void Load_BranchWithoutWrites_ReportsStepAndBranch()
    {
        var json = WithJointReview();
        Steps(json)[1]!["branches"]![0]!.AsObject().Remove("writes");

        Assert.Equal("sample.json: step \"review\": branch \"a\": missing \"writes\"", SingleError(json));
    }

    [Fact]
    public void Load_MisspelledProperty_ReportsUnknownProperty()
    {
        var json = Sample();
        Steps(json)[0]!["limtDays"] = 3;

        Assert.Equal("sample.json: step \"handle\": unknown property \"limtDays\"", SingleError(json));
    }

    [Fact]
    public void Load_EndWithUnknownResult_ReportsAllowedResults()
    {
        var json = Sample();
        Steps(json)[2]!["result"] = "accepted";

        Assert.Equal("sample.json: step \"approved\": unknown result \"accepted\" (allowed: approved, denied, reported)", SingleError(json));
    }

    [Fact]
    public void LoadDirectory_BadFile_DoesNotStopTheOthers()
    {
        var folder = Directory.CreateTempSubdirectory("workflows-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "a-broken.json"), "{ \"id\": ");
            File.WriteAllText(Path.Combine(folder.FullName, "b-sample.json"), SampleJson);
            File.WriteAllText(Path.Combine(folder.FullName, "c-copy.json"), SampleJson);
            File.WriteAllText(Path.Combine(folder.FullName, WorkflowLoader.SchemaFileName), "{}");

            var result = new WorkflowLoader().LoadDirectory(folder.FullName);

            Assert.Equal("sample", Assert.Single(result.Definitions).Id);
            Assert.Collection(
                result.Errors,
                e => Assert.StartsWith("a-broken.json: invalid JSON at line 1", e.ToString()),
                e => Assert.Equal("c-copy.json: workflow id \"sample\" is already defined by another file", e.ToString()));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void ContentHash_SameContentReformatted_IsEqual()
    {
        var original = Load(Sample()).Definitions[0];
        var reordered = Sample();
        reordered.Remove("title");
        reordered["title"] = "示例流程";
        reordered["$schema"] = "https://example.org/other.json";

        var reformatted = new WorkflowLoader().LoadFromJson("other.json", reordered.ToJsonString(new() { WriteIndented = true })).Definitions[0];

        Assert.Matches("^[0-9a-f]{64}$", original.ContentHash);
        Assert.Equal(original.ContentHash, reformatted.ContentHash);
    }

    [Fact]
    public void ContentHash_ChangedLimit_Differs()
    {
        var changed = Sample();
        Steps(changed)[0]!["limitDays"] = 4;

        Assert.NotEqual(Load(Sample()).Definitions[0].ContentHash, Load(changed).Definitions[0].ContentHash);
    }

    private static JsonObject Sample() => Node(SampleJson).AsObject();

    private static JsonObject WithJointReview()
    {
        var json = Sample();
        Steps(json)[1] = Node(JointReview);
        return json;
    }

    private static JsonObject WithCountersignReview(int signers, int quorum)
    {
        var json = Sample();
        Steps(json)[1] = new JsonObject
        {
            ["id"] = "review", ["kind"] = "countersign", ["title"] = "会签", ["department"] = "$lead", ["role"] = "Officer",
            ["signers"] = signers, ["quorum"] = quorum, ["limitDays"] = 2, ["writes"] = "countersign",
        };
        return json;
    }

    /// <summary>handle -approve-> large (floorArea op value) -true/false-> review.</summary>
    private static JsonObject WithCondition(string op, JsonNode value)
    {
        var json = Sample();
        Steps(json).Add(new JsonObject
        {
            ["id"] = "large", ["kind"] = "condition", ["title"] = "建筑面积判断", ["field"] = "floorArea", ["operator"] = op, ["value"] = value,
        });
        Connections(json)[0]!["to"] = "large";
        Connections(json).Add(Node("""{ "from": "large", "outcome": "true", "to": "review" }"""));
        Connections(json).Add(Node("""{ "from": "large", "outcome": "false", "to": "review" }"""));
        return json;
    }

    /// <summary>handle -approve-> large (when) -true/false-> review.</summary>
    private static JsonObject WithWhen(string when)
    {
        var json = WithCondition(">", 300);
        Steps(json)[^1] = new JsonObject { ["id"] = "large", ["kind"] = "condition", ["title"] = "建筑面积判断", ["when"] = when };
        return json;
    }

    private static JsonArray Steps(JsonObject json) => json["steps"]!.AsArray();

    private static JsonArray Connections(JsonObject json) => json["connections"]!.AsArray();

    private static JsonNode Node(string json) => JsonNode.Parse(json)!;

    private static WorkflowLoadResult Load(JsonObject json, WorkflowLoaderOptions? options = null) =>
        new WorkflowLoader(options).LoadFromJson("sample.json", json.ToJsonString());

    private static List<string> Errors(JsonObject json)
    {
        var result = Load(json);
        Assert.Empty(result.Definitions);
        return [.. result.Errors.Select(e => e.ToString())];
    }

    private static string SingleError(JsonObject json)
    {
        var errors = Errors(json);
        Assert.True(errors.Count == 1, string.Join(Environment.NewLine, errors));
        return errors[0];
    }
}
