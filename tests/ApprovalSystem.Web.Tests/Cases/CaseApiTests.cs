using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Tests.Infrastructure;
using ApprovalSystem.Workflows;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Tests.Cases;

/// <summary>The case engine through the HTTP API on a real database: filing to archive.</summary>
public sealed class CaseApiTests(AppFactory factory) : IClassFixture<AppFactory>
{
    private const string JointMatter = TestMatters.Joint; // 二手房转移登记及税费联办 on property-registration

    private Task<Dictionary<string, string>> ValidFormAsync(string matterCode) => TestForms.RequiredAsync(factory, matterCode);

    private async Task<JsonElement> FileAsync(ApiSession session, string matterCode, string? key = null)
    {
        var headers = key is null ? null : new Dictionary<string, string> { ["Idempotency-Key"] = key };
        return await session.PostOkAsync("/api/cases", new { matterCode, submit = true, formData = await ValidFormAsync(matterCode) }, headers);
    }

    // 登记审核 (the joint matter's BDC branch) requires the property unit's number.
    private static readonly Dictionary<string, string> UnitNo = new() { ["unitNo"] = "330799001001GB00001F00010001" };

    private static string OpenItem(JsonElement c, string department) =>
        c.GetProperty("steps").EnumerateArray().First(s => s.GetProperty("open").GetBoolean() && s.GetProperty("department").GetString() == department).GetProperty("workItemId").GetString()!;

    [Fact]
    public async Task TheApi_AnswersACasesIdCardAndMobileFieldsMasked_ToTheFilerAndToTheWindow_WhileTheCaseKeepsThem()
    {
        // The joint matter's form asks the buyer's ID number and a mobile number.
        await using var db = factory.CreateDbContext();
        var matter = await db.Matters.AsNoTracking().SingleAsync(m => m.Code == JointMatter);
        var personal = matter.FormFields.Where(f => f.Required && f.Type is FieldKind.IdCard or FieldKind.Phone).ToList();
        Assert.NotEmpty(personal);
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var clerk = await ApiSession.SignInAsync(factory, "clerk");

        var filed = await FileAsync(citizen, matter.Code);
        var id = filed.GetProperty("id").GetInt64();
        foreach (var answer in new[] { filed, await citizen.GetOkAsync($"/api/cases/{id}"), await clerk.GetOkAsync($"/api/cases/{id}") })
        {
            var form = answer.GetProperty("formData");
            Assert.All(personal, f =>
            {
                var shown = form.GetProperty(f.Key).GetString()!;
                Assert.Contains('*', shown);
                Assert.DoesNotContain(shown, new[] { "330799198503120016", "13800000001" });
            });
        }

        var stored = await db.Cases.AsNoTracking().SingleAsync(c => c.Id == id);
        Assert.All(personal, f => Assert.DoesNotContain('*', stored.FormData[f.Key]));
    }

    [Fact]
    public async Task FileCase_SameIdempotencyKeyTwice_FilesOnce()
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var key = Guid.NewGuid().ToString();

        var first = await FileAsync(citizen, JointMatter, key);
        var second = await FileAsync(citizen, JointMatter, key);

        Assert.Equal(first.GetProperty("id").GetInt64(), second.GetProperty("id").GetInt64());
        Assert.Matches(@"^330799-\d{8}-\d{4}$", first.GetProperty("number").GetString());
        Assert.Matches(@"^\d{6}$", first.GetProperty("queryCode").GetString());
        Assert.Equal("PreAcceptance", first.GetProperty("state").GetString());
        await using var db = factory.CreateDbContext();
        Assert.Equal(1, await db.IdempotencyRecords.CountAsync(r => r.Key == key));
    }

    [Fact]
    public async Task FileCase_SameIdempotencyKey_SentFiveTimesAtOnce_FilesOneCase()
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var key = Guid.NewGuid().ToString();
        var form = await ValidFormAsync(JointMatter);

        // A flaky network: the client retries before the first answer arrives.
        var answers = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ =>
            citizen.PostAsync("/api/cases", new { matterCode = JointMatter, submit = true, formData = form }, new Dictionary<string, string> { ["Idempotency-Key"] = key })));

        Assert.All(answers, a => Assert.True(a.Response.IsSuccessStatusCode, $"{(int)a.Response.StatusCode} {a.Body}"));
        Assert.Single(answers.Select(a => a.Body.GetProperty("id").GetInt64()).Distinct());
        await using var db = factory.CreateDbContext();
        var id = answers[0].Body.GetProperty("id").GetInt64();
        Assert.Equal(1, await db.IdempotencyRecords.CountAsync(r => r.Key == key));
        Assert.Equal(1, await db.Journal.CountAsync(e => e.CaseId == id && e.Action == "Submit"));
    }

    [Fact]
    public async Task FileCase_TwelveApplicantsAtOnce_GetTwelveDifferentNumbersOfTheDay_WithoutGaps()
    {
        var accounts = new[] { "citizen", "enterprise", "agent" };
        var sessions = await Task.WhenAll(accounts.Select(a => ApiSession.SignInAsync(factory, a)));
        var form = await ValidFormAsync(JointMatter);
        await using var db = factory.CreateDbContext();
        var before = await db.Cases.AsNoTracking().Where(c => c.Number != null).Select(c => c.Number!).ToListAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => sessions[i % sessions.Length].PostAsync(
            "/api/cases",
            accounts[i % accounts.Length] == "agent"
                ? new { matterCode = JointMatter, submit = true, formData = form, applicant = new { name = "赵六", idType = "ResidentId", idNumber = "330799198503120016", phone = "13900000006" } }
                : new { matterCode = JointMatter, submit = true, formData = form, applicant = (object?)null })));

        Assert.All(answers, a => Assert.True(a.Response.IsSuccessStatusCode, $"{(int)a.Response.StatusCode} {a.Body}"));
        var numbers = answers.Select(a => a.Body.GetProperty("number").GetString()!).ToList();
        Assert.Equal(12, numbers.Distinct().Count());
        Assert.All(numbers, n => Assert.DoesNotContain(n, before));

        // One series per day: with the cases filed before, the sequence runs 1..N without a hole.
        var all = before.Concat(numbers).Where(n => n[..15] == numbers[0][..15]).Select(n => int.Parse(n[16..], System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();
        Assert.Equal(Enumerable.Range(1, all.Count), all);
    }

    [Fact]
    public async Task SubmittingADraft_AnswersTheApplicantWithTheNumberAndItsQueryCode()
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var draft = await citizen.PostOkAsync("/api/cases", new { matterCode = JointMatter, submit = false, formData = await ValidFormAsync(JointMatter) });
        var id = draft.GetProperty("id").GetInt64();
        Assert.Equal(JsonValueKind.Null, draft.GetProperty("number").ValueKind);

        var submitted = await citizen.PostOkAsync($"/api/cases/{id}/submit");

        await using var db = factory.CreateDbContext();
        var stored = await db.Cases.AsNoTracking().SingleAsync(c => c.Id == id);
        Assert.Equal(stored.Number, submitted.GetProperty("number").GetString());
        Assert.Equal(stored.QueryCode, submitted.GetProperty("queryCode").GetString());
        Assert.Matches(@"^\d{6}$", stored.QueryCode);
    }

    [Fact]
    public async Task Acts_WithBadInput_AreRefusedByTheirValidators_InChinese_AndChangeNothing()
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var filed = await FileAsync(citizen, JointMatter);
        var id = filed.GetProperty("id").GetInt64();
        var accepted = await (await ApiSession.SignInAsync(factory, "clerk")).PostOkAsync($"/api/cases/{id}/accept", new { });
        var head = await ApiSession.SignInAsync(factory, "head.bdc");

        var (assign, assignProblem) = await head.PostAsync($"/api/cases/{id}/tasks/{OpenItem(accepted, "BDC")}/assign", new { assigneeUserId = "" });
        var (withdraw, withdrawProblem) = await citizen.PostAsync($"/api/cases/{id}/withdraw", new { reason = new string('长', 501) });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, assign.StatusCode);
        Assert.Equal("assigneeUserId：请选择分派给哪位工作人员", assignProblem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, withdraw.StatusCode);
        Assert.Equal("reason：撤回原因不能超过500字", withdrawProblem.GetProperty("detail").GetString());
        await using var db = factory.CreateDbContext();
        var stored = await db.Cases.AsNoTracking().SingleAsync(c => c.Id == id);
        Assert.Equal(CaseState.Handling, stored.State);
        Assert.All(stored.Steps, s => Assert.Null(s.AssigneeId));
    }

    [Fact]
    public async Task FileCase_MissingRequiredField_IsProblemDetailsNamingTheField()
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");

        var (response, body) = await citizen.PostAsync("/api/cases", new { matterCode = JointMatter, submit = true, formData = new Dictionary<string, string>() });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("请填写", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("请填写", body.GetProperty("errors").GetProperty("formData.sellerName")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FileCase_InvalidIdNumberInTheForm_Is422NamingTheField_AndFilesNothing()
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var form = await ValidFormAsync(JointMatter);
        form["buyerIdNumber"] = "330799198503120017"; // wrong check character
        await using var db = factory.CreateDbContext();
        var before = await db.Cases.CountAsync();

        var (response, body) = await citizen.PostAsync("/api/cases", new { matterCode = JointMatter, submit = true, formData = form });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var messages = body.GetProperty("errors").GetProperty("formData.buyerIdNumber");
        Assert.Contains("身份证号码", messages[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await db.Cases.CountAsync());
    }

    [Fact]
    public async Task FileCase_FormValues_FollowTheFieldRules_TextUpToItsDeclaredLength_DatesAsYyyyMmDd()
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        await using var db = factory.CreateDbContext();
        var before = await db.Cases.CountAsync();
        var form = await ValidFormAsync(JointMatter);

        // A text field without a declared limit takes 200 characters, not 201.
        form["sellerName"] = new string('长', 201);
        var (tooLong, tooLongBody) = await citizen.PostAsync("/api/cases", new { matterCode = JointMatter, submit = false, formData = form });
        form["sellerName"] = new string('长', 200);
        var fits = await citizen.PostOkAsync("/api/cases", new { matterCode = JointMatter, submit = false, formData = form });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooLong.StatusCode);
        Assert.Equal("“转让方（出卖人/赠与人/被继承人）姓名”过长（201字，最多200字）", tooLongBody.GetProperty("errors").GetProperty("formData.sellerName")[0].GetString());
        Assert.Equal(new string('长', 200), fits.GetProperty("formData").GetProperty("sellerName").GetString());

        // The centre declares 12 for the field: 13 is refused by the same rule.
        var matter = await db.Matters.SingleAsync(m => m.Code == JointMatter);
        matter.FormFields.Single(f => f.Key == "sellerName").MaxLength = 12;
        await db.SaveChangesAsync();
        try
        {
            form["sellerName"] = new string('长', 13);
            var (declared, declaredBody) = await citizen.PostAsync("/api/cases", new { matterCode = JointMatter, submit = false, formData = form });

            Assert.Equal(HttpStatusCode.UnprocessableEntity, declared.StatusCode);
            Assert.Equal("“转让方（出卖人/赠与人/被继承人）姓名”过长（13字，最多12字）", declaredBody.GetProperty("errors").GetProperty("formData.sellerName")[0].GetString());
        }
        finally
        {
            matter.FormFields.Single(f => f.Key == "sellerName").MaxLength = null;
            await db.SaveChangesAsync();
        }

        // A date is yyyy-MM-dd, as in a step's data (the form once took any date DateOnly could parse).
        const string dated = "330799-SCJG-013";
        var dateField = (await db.Matters.AsNoTracking().SingleAsync(m => m.Code == dated)).FormFields.First(f => f.Type == FieldKind.Date);
        var datedForm = await ValidFormAsync(dated);
        datedForm[dateField.Key] = "2026/1/31";
        var (slashed, slashedBody) = await citizen.PostAsync("/api/cases", new { matterCode = dated, submit = false, formData = datedForm });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, slashed.StatusCode);
        Assert.Equal($"“{dateField.Label}”应为日期，格式 yyyy-MM-dd（如 2026-12-03），不能是“2026/1/31”",
            slashedBody.GetProperty("errors").GetProperty($"formData.{dateField.Key}")[0].GetString());
        Assert.Equal(before + 1, await db.Cases.CountAsync());
    }

    [Fact]
    public async Task FileCase_UnknownMatter_Is422NamingMatterCode()
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");

        var (response, body) = await citizen.PostAsync("/api/cases", new { matterCode = "330799-XX-999", submit = true, formData = new Dictionary<string, string>() });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("330799-XX-999", body.GetProperty("errors").GetProperty("matterCode")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FileCase_SameIdempotencyKeyWithAnotherBody_Is422_FilesNothing_AndTheFirstRequestStillReplays()
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var key = Guid.NewGuid().ToString();
        var form = await ValidFormAsync(JointMatter);
        var first = await citizen.PostOkAsync("/api/cases", new { matterCode = JointMatter, submit = true, formData = form }, new Dictionary<string, string> { ["Idempotency-Key"] = key });
        await using var db = factory.CreateDbContext();
        var count = await db.Cases.CountAsync();

        var other = new Dictionary<string, string>(form) { ["sellerName"] = form["sellerName"] + "（另一家）" };
        var (response, body) = await citizen.PostAsync("/api/cases", new { matterCode = JointMatter, submit = true, formData = other }, new Dictionary<string, string> { ["Idempotency-Key"] = key });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("幂等键", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(body.GetProperty("errors").TryGetProperty("Idempotency-Key", out _));
        Assert.Equal(count, await db.Cases.CountAsync());

        // The first request sent again (values with spaces around them, keys in another order) is still the same filing.
        var again = form.Reverse().ToDictionary(f => f.Key, f => " " + f.Value + " ");
        var replay = await citizen.PostOkAsync("/api/cases", new { matterCode = JointMatter, submit = true, formData = again }, new Dictionary<string, string> { ["Idempotency-Key"] = key });
        Assert.Equal(first.GetProperty("id").GetInt64(), replay.GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task FileCase_Anonymous_Gets401ProblemNotARedirect()
    {
        var response = await factory.CreateBrowserClient().PostAsync("/api/cases", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("请先登录", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Journey_SupplementThenAcceptThenJointApproval_ConcludesApproved_AndJournalVerifies()
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var clerk = await ApiSession.SignInAsync(factory, "clerk");
        var filed = await FileAsync(citizen, JointMatter);
        var id = filed.GetProperty("id").GetInt64();

        var upload = new MultipartFormDataContent { { new StringContent("不动产登记申请书"), "material" }, { new ByteArrayContent("%PDF-1.4 test"u8.ToArray()), "file", "申请书.pdf" } };
        upload.Headers.Add("X-Requested-With", "test");
        var uploaded = await citizen.Client.PostAsync($"/api/cases/{id}/materials", upload);
        Assert.Equal(HttpStatusCode.OK, uploaded.StatusCode);
        var stored = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("%PDF-1.4 test"u8.ToArray()));
        Assert.True(File.Exists(ContentFiles.PathFor(factory.DataFolder, stored)));
        await using (var files = factory.CreateDbContext())
        {
            Assert.Equal("application/pdf", await files.StoredFiles.Where(f => f.Sha256 == stored).Select(f => f.ContentType).SingleAsync());
        }

        await clerk.PostOkAsync($"/api/cases/{id}/supplement", new { items = new[] { "存量房买卖合同未签字", "缺少婚姻状况证明" } });
        var supplementing = await citizen.GetOkAsync($"/api/cases/{id}");
        Assert.Equal("SupplementRequested", supplementing.GetProperty("state").GetString());
        Assert.Equal(2, supplementing.GetProperty("supplementItems").GetArrayLength());

        await citizen.PostOkAsync($"/api/cases/{id}/resubmit", new { reason = "已补齐" });
        var accepted = await clerk.PostOkAsync($"/api/cases/{id}/accept", new { opinion = "材料齐全，予以受理" });
        Assert.Equal("Handling", accepted.GetProperty("state").GetString());
        Assert.NotEqual(JsonValueKind.Null, accepted.GetProperty("promisedDueAt").ValueKind);

        // Joint handling 联办: the registration review (BDC) and the deed tax (SW) are open at once, each in its own department.
        var bdc = await ApiSession.SignInAsync(factory, "officer.bdc");
        var sw = await ApiSession.SignInAsync(factory, "officer.sw");
        var registrationItem = OpenItem(accepted, "BDC");
        var taxItem = OpenItem(accepted, "SW");
        var afterTax = await sw.PostOkAsync($"/api/cases/{id}/tasks/{taxItem}/act", new { outcome = "approve", opinion = "契税已征收",
            data = new Dictionary<string, string> { ["deedTaxAmount"] = "15000", ["taxVoucherNo"] = "330799260000123" } });
        Assert.Equal(registrationItem, OpenItem(afterTax, "BDC")); // the other branch is still open: the join waits for both
        var afterAccept = await bdc.PostOkAsync($"/api/cases/{id}/tasks/{registrationItem}/act", new { outcome = "approve", opinion = "权属清晰，登记审核通过",
            data = new Dictionary<string, string> { ["unitNo"] = "330799001001GB00001F00010001" } });

        var head = await ApiSession.SignInAsync(factory, "head.bdc");
        var concluded = await head.PostOkAsync($"/api/cases/{id}/tasks/{OpenItem(afterAccept, "BDC")}/act", new { outcome = "approve", opinion = "准予登记" });
        Assert.Equal("Approved", concluded.GetProperty("state").GetString());
        var decision = await citizen.Client.GetAsync($"/api/cases/{id}/documents/approvalDecision");
        Assert.Equal(HttpStatusCode.OK, decision.StatusCode);
        Assert.Equal("application/pdf", decision.Content.Headers.ContentType?.MediaType);
        var (noDenial, _) = await citizen.GetAsync($"/api/cases/{id}/documents/denialDecision");
        Assert.Equal(HttpStatusCode.NotFound, noDenial.StatusCode);

        await clerk.PostOkAsync($"/api/cases/{id}/certificate");
        await clerk.PostOkAsync($"/api/cases/{id}/deliver", new { method = "窗口领取" });
        var archived = await clerk.PostOkAsync($"/api/cases/{id}/archive", new { files = new[] { "申请书", "不动产权证书（存根）" }, retentionYears = 30, location = "档案室A柜3层" });
        Assert.Equal("Archived", archived.GetProperty("state").GetString());

        var journal = await citizen.GetOkAsync($"/api/cases/{id}/journal");
        Assert.Contains(journal.EnumerateArray(), e => e.GetProperty("action").GetString() == "RequestSupplement");
        Assert.Contains(journal.EnumerateArray(), e => e.GetProperty("opinion").GetString() == "准予登记");

        var supervisor = await ApiSession.SignInAsync(factory, "supervisor");
        var verification = await supervisor.GetOkAsync("/api/journal/verify");
        Assert.True(verification.GetProperty("isIntact").GetBoolean(), verification.ToString());
    }

    [Fact]
    public async Task TwoOfficersActOnOneTaskAtOnce_ExactlyOneSucceeds_TheOtherIsToldWhoHandledIt()
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var clerk = await ApiSession.SignInAsync(factory, "clerk");
        var id = (await FileAsync(citizen, JointMatter)).GetProperty("id").GetInt64();
        var accepted = await clerk.PostOkAsync($"/api/cases/{id}/accept", new { });
        var item = OpenItem(accepted, "BDC");
        var a = await ApiSession.SignInAsync(factory, "officer.bdc");
        var b = await ApiSession.SignInAsync(factory, "officer2.bdc");

        var results = await Task.WhenAll(
            a.PostAsync($"/api/cases/{id}/tasks/{item}/act", new { outcome = "approve", opinion = "甲同意", data = UnitNo }),
            b.PostAsync($"/api/cases/{id}/tasks/{item}/act", new { outcome = "approve", opinion = "乙同意", data = UnitNo }));

        Assert.Single(results, r => r.Response.StatusCode == HttpStatusCode.OK);
        var loser = Assert.Single(results, r => r.Response.StatusCode == HttpStatusCode.Conflict);
        Assert.Matches("该环节已由(郭峰|孔亮)于.+办理", loser.Body.GetProperty("detail").GetString());
        var journal = await a.GetOkAsync($"/api/cases/{id}/journal");
        Assert.Single(journal.EnumerateArray(), e => e.GetProperty("action").GetString() == "ActOnTask" && e.GetProperty("opinion").GetString() is "甲同意" or "乙同意");
    }

    [Fact]
    public async Task OfficerOfAnotherDepartment_CannotActOnTheTask()
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var clerk = await ApiSession.SignInAsync(factory, "clerk");
        var id = (await FileAsync(citizen, JointMatter)).GetProperty("id").GetInt64();
        var accepted = await clerk.PostOkAsync($"/api/cases/{id}/accept", new { });
        var wj = await ApiSession.SignInAsync(factory, "officer.wj");

        var (response, body) = await wj.PostAsync($"/api/cases/{id}/tasks/{OpenItem(accepted, "BDC")}/act", new { outcome = "approve", opinion = "越权" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("无权查看", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherApplicant_CannotSeeTheCase_ButPublicLookupWithQueryCodeShowsProgressWithoutIdNumber()
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var filed = await FileAsync(citizen, JointMatter);
        var enterprise = await ApiSession.SignInAsync(factory, "enterprise");

        var (hidden, _) = await enterprise.GetAsync($"/api/cases/{filed.GetProperty("id").GetInt64()}");
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);

        var anonymous = factory.CreateClient();
        var number = filed.GetProperty("number").GetString()!;
        var ok = await anonymous.PostAsJsonAsync("/api/cases/lookup", new { number, code = filed.GetProperty("queryCode").GetString() });
        var text = await ok.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Contains("张*", text, StringComparison.Ordinal);
        Assert.DoesNotContain("330799198503120016", text, StringComparison.Ordinal);
        var wrong = await anonymous.PostAsJsonAsync("/api/cases/lookup", new { number, code = "000000x" });
        Assert.Equal(HttpStatusCode.NotFound, wrong.StatusCode);
    }

    [Fact]
    public async Task Refuse_WithoutReason_IsRefusedAndCaseStaysInPreAcceptance()
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var clerk = await ApiSession.SignInAsync(factory, "clerk");
        var id = (await FileAsync(citizen, JointMatter)).GetProperty("id").GetInt64();

        var (response, body) = await clerk.PostAsync($"/api/cases/{id}/refuse", new { reason = "" });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("不予受理必须说明理由", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("PreAcceptance", (await clerk.GetOkAsync($"/api/cases/{id}")).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Upload_NotAPdfOrImage_IsRefusedByContent()
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var id = (await FileAsync(citizen, JointMatter)).GetProperty("id").GetInt64();
        var upload = new MultipartFormDataContent { { new StringContent("存量房买卖合同"), "material" }, { new ByteArrayContent("MZ fake exe"u8.ToArray()), "file", "章程.pdf" } };
        upload.Headers.Add("X-Requested-With", "test");

        var response = await citizen.Client.PostAsync($"/api/cases/{id}/materials", upload);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("不是PDF、JPG或PNG文件", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_EmptyIs422_OversizedIs413NamingTheLimit_AndNeitherIsKept()
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var id = (await FileAsync(citizen, JointMatter)).GetProperty("id").GetInt64();
        await factory.RenderDocumentsAsync(); // the filing's receipt is a stored file too, kept after the filing
        await using var db = factory.CreateDbContext();
        var files = await db.StoredFiles.CountAsync();

        var empty = new MultipartFormDataContent { { new StringContent("存量房买卖合同"), "material" }, { new ByteArrayContent([]), "file", "章程.pdf" } };
        empty.Headers.Add("X-Requested-With", "test");
        var emptyResponse = await citizen.Client.PostAsync($"/api/cases/{id}/materials", empty);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, emptyResponse.StatusCode);
        Assert.Contains("文件是空的", await emptyResponse.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var big = new byte[(int)Features.Cases.Filing.UploadMaterial.MaxBytes + 1];
        "%PDF-1.4"u8.CopyTo(big);
        var oversized = new MultipartFormDataContent { { new StringContent("存量房买卖合同"), "material" }, { new ByteArrayContent(big), "file", "章程.pdf" } };
        oversized.Headers.Add("X-Requested-With", "test");
        var bigResponse = await citizen.Client.PostAsync($"/api/cases/{id}/materials", oversized);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, bigResponse.StatusCode);
        Assert.Contains("20MB", await bigResponse.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(files, await db.StoredFiles.CountAsync());
        var c = await citizen.GetOkAsync($"/api/cases/{id}");
        Assert.All(c.GetProperty("materials").EnumerateArray(), m => Assert.False(m.GetProperty("received").GetBoolean()));
    }

    [Fact]
    public async Task Upload_ToSomebodyElsesCase_Is404_AndLeavesNoFileAndNoRow()
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var stranger = await ApiSession.SignInAsync(factory, "enterprise");
        var id = (await FileAsync(citizen, JointMatter)).GetProperty("id").GetInt64();
        var content = System.Text.Encoding.ASCII.GetBytes("%PDF-1.4 not yours " + Guid.NewGuid());
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content));
        var upload = new MultipartFormDataContent { { new StringContent("存量房买卖合同"), "material" }, { new ByteArrayContent(content), "file", "章程.pdf" } };
        upload.Headers.Add("X-Requested-With", "test");

        var response = await stranger.Client.PostAsync($"/api/cases/{id}/materials", upload);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False(File.Exists(ContentFiles.PathFor(factory.DataFolder, sha)));
        await using var db = factory.CreateDbContext();
        Assert.False(await db.StoredFiles.AnyAsync(f => f.Sha256 == sha));
    }

    [Fact]
    public async Task Upload_ToACaseThatTakesNoMoreMaterials_IsRefused_AndLeavesNoFileAndNoRow()
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var clerk = await ApiSession.SignInAsync(factory, "clerk");
        var id = (await FileAsync(citizen, JointMatter)).GetProperty("id").GetInt64();
        await clerk.PostOkAsync($"/api/cases/{id}/refuse", new { reason = "不属于本县管辖" });
        var content = System.Text.Encoding.ASCII.GetBytes("%PDF-1.4 too late " + Guid.NewGuid());
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content));
        var upload = new MultipartFormDataContent { { new StringContent("存量房买卖合同"), "material" }, { new ByteArrayContent(content), "file", "章程.pdf" } };
        upload.Headers.Add("X-Requested-With", "test");

        var response = await citizen.Client.PostAsync($"/api/cases/{id}/materials", upload);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("不能上传材料", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(File.Exists(ContentFiles.PathFor(factory.DataFolder, sha)));
        await using var db = factory.CreateDbContext();
        Assert.False(await db.StoredFiles.AnyAsync(f => f.Sha256 == sha));
    }

    [Fact]
    public async Task JournalVerification_DetectsAnEditedAndADeletedEntry()
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var clerk = await ApiSession.SignInAsync(factory, "clerk");
        var id = (await FileAsync(citizen, JointMatter)).GetProperty("id").GetInt64();
        await clerk.PostOkAsync($"/api/cases/{id}/refuse", new { reason = "不属于本县管辖" });
        await using var db = factory.CreateDbContext();
        var entries = await db.Journal.Where(e => e.CaseId == id).OrderBy(e => e.Sequence).ToListAsync();

        var refusal = entries.Single(e => e.Action == "Refuse");
        await db.Journal.Where(e => e.Sequence == refusal.Sequence).ExecuteUpdateAsync(s => s.SetProperty(e => e.Opinion, "改过的理由"));
        var edited = await Verify();
        Assert.False(edited.GetProperty("isIntact").GetBoolean());
        Assert.Equal(refusal.Sequence, edited.GetProperty("firstBadSequence").GetInt64());
        var caseCheck = await CaseJournal.VerifyCaseAsync(db, id); // the case page's check, without the whole chain
        Assert.False(caseCheck.IsIntact);
        Assert.Equal(refusal.Sequence, caseCheck.FirstBadSequence);

        await db.Journal.Where(e => e.Sequence == refusal.Sequence).ExecuteUpdateAsync(s => s.SetProperty(e => e.Opinion, refusal.Opinion));
        Assert.True((await Verify()).GetProperty("isIntact").GetBoolean());
        Assert.True((await CaseJournal.VerifyCaseAsync(db, id)).IsIntact);

        var first = entries[0];
        await db.Journal.Where(e => e.Sequence == first.Sequence).ExecuteDeleteAsync();
        var deleted = await Verify();
        Assert.False(deleted.GetProperty("isIntact").GetBoolean());
        Assert.Equal(first.Sequence, deleted.GetProperty("firstBadSequence").GetInt64());
        Assert.False((await CaseJournal.VerifyCaseAsync(db, id)).IsIntact);
        db.Journal.Add(first);
        await db.SaveChangesAsync();
    }

    private async Task<JsonElement> Verify() => await (await ApiSession.SignInAsync(factory, "supervisor")).GetOkAsync("/api/journal/verify");

    [Fact]
    public async Task ImmediateMatter_WalkIn_IsDecidedOnTheSpotByTheClerk()
    {
        await using var db = factory.CreateDbContext();
        var matter = await db.Matters.AsNoTracking().FirstAsync(m => m.Kind == Core.Catalogue.MatterKind.Immediate);
        var clerk = await ApiSession.SignInAsync(factory, "clerk");

        var filed = await clerk.PostOkAsync("/api/cases", new
        {
            matterCode = matter.Code,
            submit = true,
            formData = await ValidFormAsync(matter.Code),
            applicant = new { name = "李四", idType = "ResidentId", idNumber = "330799195208170025", phone = "13900000000" },
        });
        var decided = await clerk.PostOkAsync($"/api/cases/{filed.GetProperty("id").GetInt64()}/accept", new { decideNow = "approve" });

        Assert.Equal("Window", filed.GetProperty("channel").GetString());
        Assert.Equal("Approved", decided.GetProperty("state").GetString());

        // Due at the end of the day it was accepted, or of the next working day when accepted on a day off.
        var time = await factory.Get<WorkingTimeProvider>().GetAsync();
        var accepted = decided.GetProperty("acceptedAt").GetDateTimeOffset();
        Assert.Equal(WorkingTime.EndOfDay(time.Calendar.AddWorkingDays(WorkingTime.LocalDate(accepted), 0)), decided.GetProperty("promisedDueAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task AnIndividualBusiness_RegisteredOnTheSpot_NeedsItsNewCreditCode_AndItsLicencePrintsIt()
    {
        const string Registration = "330799-SCJG-022"; // 个体工商户设立登记: immediate, on the immediate-registration flow
        const string Code = "92330799MA2J8K3Q1L";
        var clerk = await ApiSession.SignInAsync(factory, "clerk");
        var filed = await clerk.PostOkAsync("/api/cases", new
        {
            matterCode = Registration,
            submit = true,
            formData = await ValidFormAsync(Registration),
            applicant = new { name = "李四", idType = "ResidentId", idNumber = "330799195208170025", phone = "13900000000" },
        });
        var id = filed.GetProperty("id").GetInt64();

        var (refused, problem) = await clerk.PostAsync($"/api/cases/{id}/accept", new { decideNow = "approve" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal("请填写“统一社会信用代码”", problem.GetProperty("errors").GetProperty("decisionData.creditCode")[0].GetString());
        Assert.Equal("PreAcceptance", (await clerk.GetOkAsync($"/api/cases/{id}")).GetProperty("state").GetString()); // not accepted either

        var (wrong, wrongProblem) = await clerk.PostAsync($"/api/cases/{id}/accept",
            new { decideNow = "approve", decisionData = new Dictionary<string, string> { ["creditCode"] = "92330799MA2J8K3Q1X" } }); // a wrong check character
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
        Assert.True(wrongProblem.GetProperty("errors").TryGetProperty("decisionData.creditCode", out _));

        var decided = await clerk.PostOkAsync($"/api/cases/{id}/accept",
            new { decideNow = "approve", decisionData = new Dictionary<string, string> { ["creditCode"] = Code } });
        Assert.Equal("Approved", decided.GetProperty("state").GetString());
        await using var db = factory.CreateDbContext();
        var c = await db.Cases.AsNoTracking().SingleAsync(x => x.Id == id);
        var printed = Web.Documents.CertificateTypes.Build(c, "县市场监督管理局", "https://example.test").Fields;
        Assert.Equal("营业执照", Web.Documents.CertificateTypes.TypeOf(c).Title);
        Assert.Equal(Code, printed.Single(f => f.Label == "统一社会信用代码").Value); // not the operator's masked ID number
    }

    [Fact]
    public async Task Accept_WithTheMaterialCheck_SavesBothInOneAct_AndARefusedAcceptSavesNeither()
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var id = (await FileAsync(citizen, JointMatter)).GetProperty("id").GetInt64();
        await using var db = factory.CreateDbContext();
        var clerkUser = await db.Users.SingleAsync(u => u.UserName == "clerk");
        var clerk = new Core.Cases.CaseActor(clerkUser.Id, "李晓梅", [Core.Identity.Roles.Clerk], "FWZX");
        var officer = new Core.Cases.CaseActor("x", "越权者", [Core.Identity.Roles.Officer], "BDC");
        var handler = factory.Get<Features.Cases.Acceptance.AcceptCase.Handler>();

        await Assert.ThrowsAsync<Core.Cases.CaseRuleException>(() => handler.HandleAsync(new(id, ReceivedMaterials: ["不动产登记申请书"]), officer));
        Assert.DoesNotContain(await db.Journal.AsNoTracking().Where(e => e.CaseId == id).Select(e => e.Action).ToListAsync(), a => a == "Review");

        var accepted = await handler.HandleAsync(new(id, ReceivedMaterials: ["不动产登记申请书"]), clerk);

        Assert.True(accepted.Materials.Single(m => m.Name == "不动产登记申请书").Received);
        var actions = await db.Journal.AsNoTracking().Where(e => e.CaseId == id).OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync();
        Assert.Equal(["Review", "Accept"], actions.SkipWhile(a => a != "Review").Take(2));
    }
}
