using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Core.Tests.Cases;

namespace ApprovalSystem.Core.Tests.Catalogue;

/// <summary>The guide's questions 情形: which are asked, which items they select, the rules of the catalogue, and the case's checklist.</summary>
public sealed class SituationTests
{
    private static readonly List<SituationQuestion> Questions =
    [
        new() { Key = "agent", Text = "是否委托他人代为办理？" },
        new() { Key = "mortgaged", Text = "房屋是否有抵押？" },
        new() { Key = "mortgagee", Text = "抵押权人是否同意转让？", When = "mortgaged == '是'", Options = ["同意", "不同意"] },
    ];

    private static Dictionary<string, string> Answers(params (string Key, string Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

    [Fact]
    public void A_question_is_asked_only_when_its_condition_holds()
    {
        Assert.Equal(["agent", "mortgaged"], Situations.Asked(Questions, Answers(("mortgaged", "否"))).Select(q => q.Key));
        Assert.Equal(["agent", "mortgaged", "mortgagee"], Situations.Asked(Questions, Answers(("mortgaged", "是"))).Select(q => q.Key));
    }

    [Fact]
    public void Normalising_drops_answers_to_questions_no_longer_asked_and_answers_not_offered()
    {
        var kept = Situations.Normalise(Questions, Answers(("agent", " 是 "), ("mortgaged", "否"), ("mortgagee", "同意"), ("stray", "x")));
        Assert.Equal(Answers(("agent", "是"), ("mortgaged", "否")), kept);

        Assert.Equal(Answers(("mortgaged", "是")), Situations.Normalise(Questions, Answers(("agent", "也许"), ("mortgaged", "是"))));
    }

    [Fact]
    public void Problems_name_each_unanswered_or_wrong_question_asked()
    {
        var problems = Situations.Problems(Questions, Answers(("agent", "也许"), ("mortgaged", "是")));
        Assert.Equal([("agent", "“是否委托他人代为办理？”的回答应为是、否之一"), ("mortgagee", "请回答：抵押权人是否同意转让？")], problems);
        Assert.Empty(Situations.Problems(Questions, Answers(("agent", "否"), ("mortgaged", "否"))));
    }

    [Fact]
    public void Items_hold_in_the_situations_their_condition_names()
    {
        Assert.True(Situations.Holds(null, Answers()));
        Assert.True(Situations.Holds("agent == '是'", Answers(("agent", "是"))));
        Assert.False(Situations.Holds("agent == '是'", Answers(("agent", "否"))));
        Assert.False(Situations.Holds("agent == '是' 且 mortgaged == '是'", Answers(("agent", "是"), ("mortgaged", "否"))));
        Assert.True(Situations.Holds("mortgagee in ['同意']", Answers(("mortgagee", "同意"))));
    }

    [Fact]
    public void A_condition_is_described_in_the_questions_words()
    {
        Assert.Equal("是否委托他人代为办理：是", Situations.Describe("agent == '是'", Questions));
        Assert.Equal("房屋是否有抵押：是，且抵押权人是否同意转让：同意", Situations.Describe("mortgaged == '是' and mortgagee == '同意'", Questions));
        Assert.Equal("是否委托他人代为办理：不是是，或（房屋是否有抵押：是或否，且抵押权人是否同意转让：不是不同意）",
            Situations.Describe("agent != '是' or (mortgaged in ['是','否'] 且 mortgagee not in ['不同意'])", Questions));
        Assert.Equal("", Situations.Describe(null, Questions));
    }

    [Fact]
    public void The_catalogue_rules_catch_bad_keys_duplicates_one_option_bad_conditions_and_answers_not_offered()
    {
        List<SituationQuestion> bad =
        [
            new() { Key = "Agent", Text = "是否委托？" },
            new() { Key = "own", Text = "", Options = ["是"] },
            new() { Key = "own", Text = "又一个", When = "later == '是'" },
            new() { Key = "later", Text = "之后" },
        ];
        var problems = Situations.Check(bad, [("材料“授权委托书”", "later == '可能'"), ("字段“代理人”", "own ==")]);

        Assert.Contains("情形问题的键“Agent”应以小写字母开头，只含字母和数字", problems);
        Assert.Contains("情形问题的键“own”重复", problems);
        Assert.Contains("情形问题“own”的问题文字不能为空", problems);
        Assert.Contains(problems, p => p.StartsWith("情形问题“”应至少有两个", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("情形问题“又一个”的提问条件有误", StringComparison.Ordinal) && p.Contains("later", StringComparison.Ordinal));
        Assert.Contains("材料“授权委托书”的适用情形有误：“之后”没有回答“可能”，可选：是、否", problems);
        Assert.Contains(problems, p => p.StartsWith("字段“代理人”的适用情形有误", StringComparison.Ordinal));
        Assert.Empty(Situations.Check(Questions, [("材料“抵押权人同意书”", "mortgagee == '同意'")]));
    }

    [Fact]
    public void A_draft_lists_the_materials_of_its_situation_and_a_changed_answer_changes_the_checklist_keeping_what_was_handed_in()
    {
        var matter = CaseFixture.Matter() with
        {
            Materials =
            [
                new MaterialRequirement { Name = "申请书", Required = true },
                new MaterialRequirement { Name = "授权委托书", Required = true, When = "agent == '是'" },
                new MaterialRequirement { Name = "抵押权人同意书", Required = true, When = "mortgagee == '同意'" },
            ],
        };
        var withQuestions = matter with { Situations = Questions };

        var draft = Case.Draft(withQuestions, CaseFixture.Person, Answers(), CaseFixture.Applicant, CaseFixture.Monday,
            Answers(("agent", "否"), ("mortgaged", "否")));
        Assert.Equal(["申请书"], draft.Materials.Select(m => m.Name));
        Assert.Equal(Answers(("agent", "否"), ("mortgaged", "否")), draft.Situation);

        draft.AttachMaterial("申请书", new string('a', 64), "申请书.pdf", 100, CaseFixture.Applicant, CaseFixture.Monday);
        draft.AnswerSituation(withQuestions, Answers(("agent", "是"), ("mortgaged", "是"), ("mortgagee", "同意")), CaseFixture.Applicant,
            CaseFixture.Monday);

        Assert.Equal(["申请书", "授权委托书", "抵押权人同意书"], draft.Materials.Select(m => m.Name));
        Assert.True(draft.Materials[0].Received);
        Assert.Equal(["授权委托书", "抵押权人同意书"], draft.MissingRequiredMaterials);
        Assert.Throws<CaseRuleException>(() => draft.AnswerSituation(withQuestions, Answers(), CaseFixture.OtherApplicant, CaseFixture.Monday));
    }
}
