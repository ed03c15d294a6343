using System.Net;
using System.Text.Json;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Core.Supervision;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Supervision;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Tests.Infrastructure;
using ApprovalSystem.Web.Tests.Supervision;
using ApprovalSystem.Workflows;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ApprovalSystem.Web.Tests.Commitments;

/// <summary>
/// 告知承诺制 (decision 0060) through the real app and database: filing on commitment stores the signed letter as a PDF and waives the
/// materials it replaces; the window approves and issues at once; a failed verification revokes, records the false commitment, tells the
/// applicant and blocks the next filing on commitment (422) until a supervisor records the repair; an overdue verification is carded on
/// the working calendar like a step.
/// </summary>
public sealed class CommitmentTests : IDisposable
{
    private const string FoodLicence = "330799-SCJG-011";

    // A fresh app and database per test: the false-commitment register and the scan's clock are per database.
    private readonly ClockedAppFactory factory = new();

    public void Dispose() => factory.Dispose();

    private async Task<(HttpResponseMessage Response, JsonElement Body)> FileAsync(ApiSession applicant, bool onCommitment) =>
        await applicant.PostAsync("/api/cases", new
        {
            matterCode = FoodLicence, submit = true, onCommitment, formData = await TestForms.RequiredAsync(factory, FoodLicence),
        });

    [Fact]
    public async Task FilingOnCommitment_StoresTheSignedLetterAsPdf_AndWaivesTheReplacedMaterials()
    {
        var enterprise = await ApiSession.SignInAsync(factory, "enterprise");
        var (response, body) = await FileAsync(enterprise, onCommitment: true);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = body.GetProperty("id").GetInt64();

        // The replaced materials are listed but not required; the others still are.
        var materials = body.GetProperty("materials").EnumerateArray().ToDictionary(m => m.GetProperty("name").GetString()!);
        foreach (var replaced in new[] { "食品安全管理制度", "食品安全管理人员基本情况" })
        {
            Assert.False(materials[replaced].GetProperty("required").GetBoolean());
            Assert.True(materials[replaced].GetProperty("replacedByCommitment").GetBoolean());
        }

        Assert.True(materials["食品经营许可申请书"].GetProperty("required").GetBoolean());
        Assert.Equal("云溪县绿源食品有限公司", body.GetProperty("commitment").GetProperty("signedBy").GetString());

        await using (var db = factory.CreateDbContext())
        {
            var c = await db.Cases.AsNoTracking().SingleAsync(x => x.Id == id);
            Assert.Equal(Case.CommitmentWorkflowId, c.WorkflowId);
            Assert.DoesNotContain("食品安全管理制度", c.MissingRequiredMaterials);
            Assert.Contains("营业执照复印件", c.MissingRequiredMaterials);
            var signed = await db.Journal.AsNoTracking().Where(e => e.CaseId == id && e.Action == "SaveDraft").Select(e => e.Data).ToListAsync();
            Assert.Contains(signed, d => d.Contains("\"commitment\":\"signed\"", StringComparison.Ordinal));
        }

        // Stored as a case document when filed, and downloadable by the applicant.
        await factory.RenderDocumentsAsync();
        await using (var db = factory.CreateDbContext())
        {
            Assert.Equal(1, await db.CaseDocuments.CountAsync(d => d.CaseId == id && d.Kind == "CommitmentLetter"));
        }

        var pdf = await enterprise.Client.GetAsync($"/api/cases/{id}/documents/commitmentLetter");
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(await pdf.Content.ReadAsByteArrayAsync(), 0, 4));

        // The public guide says so before anyone files, naming the replaced materials; a matter without the terms says nothing.
        using var visitor = factory.CreateClient();
        var guide = await visitor.GetStringAsync($"/guide/{FoodLicence}");
        Assert.Contains("本事项实行告知承诺制", guide, StringComparison.Ordinal);
        Assert.Contains("食品安全管理制度", guide, StringComparison.Ordinal);
        Assert.DoesNotContain("guide-commitment", await visitor.GetStringAsync("/guide/330799-SCJG-012"), StringComparison.Ordinal);

        // Before a decision the case page says when verification starts; refused, it says none follows.
        Assert.Contains("准予许可后开始核查计时", await enterprise.Client.GetStringAsync($"/cases/{id}"), StringComparison.Ordinal);
        var clerk = await ApiSession.SignInAsync(factory, "clerk");
        await clerk.PostOkAsync($"/api/cases/{id}/refuse", new { reason = "经营场所不在本县行政区域内，请向所在地市场监管部门申请" });
        var page = await enterprise.Client.GetStringAsync($"/cases/{id}");
        Assert.Contains("本件未准予许可，无需核查承诺内容", page, StringComparison.Ordinal);
        Assert.DoesNotContain("准予许可后开始核查计时", page, StringComparison.Ordinal);

        // A matter without 告知承诺 refuses it, saying so (422 under onCommitment).
        var (refused, problem) = await enterprise.PostAsync("/api/cases", new
        {
            matterCode = "330799-SCJG-012", submit = true, onCommitment = true, formData = await TestForms.RequiredAsync(factory, "330799-SCJG-012"),
        });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("不适用告知承诺制", problem.GetProperty("errors").GetProperty("onCommitment")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FalseCommitment_RevokesAndTellsTheApplicant_BlocksTheNextCommitmentWith422_UntilRepaired()
    {
        var enterprise = await ApiSession.SignInAsync(factory, "enterprise");
        var clerk = await ApiSession.SignInAsync(factory, "clerk");
        var (_, filed) = await FileAsync(enterprise, onCommitment: true);
        var id = filed.GetProperty("id").GetInt64();

        // The window accepts and decides at once; the certificate is issued in the same act and the verification clock runs.
        var accepted = await clerk.PostOkAsync($"/api/cases/{id}/accept", new { decideNow = "approve", decisionOpinion = "申请人已作出告知承诺，准予许可" });
        Assert.Equal(nameof(CaseState.CertificateIssued), accepted.GetProperty("state").GetString());
        var certificate = accepted.GetProperty("certificateNumber").GetString();
        Assert.False(string.IsNullOrEmpty(certificate));
        Assert.NotEqual(JsonValueKind.Null, accepted.GetProperty("commitment").GetProperty("verificationDueAt").ValueKind);

        // The case page says it was approved on commitment: which materials the commitment replaced, and the verification's clock.
        var running = await clerk.Client.GetStringAsync($"/cases/{id}");
        Assert.Contains("id=\"case-commitment\"", running, StringComparison.Ordinal);
        Assert.Contains("以承诺代替", running, StringComparison.Ordinal);
        Assert.Contains("事中事后核查", running, StringComparison.Ordinal);
        Assert.DoesNotContain("case-verification-result", running, StringComparison.Ordinal);

        // Only the lead department verifies: another department's officer does not even see the case.
        var wj = await ApiSession.SignInAsync(factory, "officer.wj");
        var (wrong, _) = await wj.PostAsync($"/api/cases/{id}/verification", new { truthful = false, findings = "x" });
        Assert.Equal(HttpStatusCode.NotFound, wrong.StatusCode);

        // The department's officer sees the task and finds the commitment untrue.
        var officer = await ApiSession.SignInAsync(factory, "officer.scjg");
        var tasks = await officer.GetOkAsync("/api/verifications");
        Assert.Contains(tasks.EnumerateArray(), t => t.GetProperty("caseId").GetInt64() == id);
        var (noFindings, _) = await officer.PostAsync($"/api/cases/{id}/verification", new { truthful = false });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noFindings.StatusCode);
        var verified = await officer.PostOkAsync($"/api/cases/{id}/verification",
            new { truthful = false, findings = "现场核查未见食品安全管理制度，食品安全管理人员未到岗" });
        Assert.Equal("核查不实", verified.GetProperty("commitment").GetProperty("verificationResult").GetString());

        await factory.RenderDocumentsAsync();
        await using (var db = factory.CreateDbContext())
        {
            var register = await db.Certificates.AsNoTracking().SingleAsync(x => x.CaseId == id);
            Assert.Equal(CertificateStatus.Revoked, register.Status);
            Assert.Equal(certificate, register.Number);
            var record = await db.FalseCommitments.AsNoTracking().SingleAsync(r => r.CaseId == id);
            Assert.Equal("91330799MA2K3L4N5T", record.ApplicantIdNumber);
            Assert.Null(record.RepairedAt);
            Assert.Contains(await db.Journal.AsNoTracking().Where(e => e.CaseId == id).Select(e => e.Action).ToListAsync(), a => a == "RevokeCertificate");
            var owner = await db.Users.SingleAsync(u => u.UserName == "enterprise");
            Assert.Contains(await db.Notifications.AsNoTracking().Where(n => n.UserId == owner.Id).ToListAsync(),
                n => n.Title == "撤销行政许可" && n.Body.Contains("行政复议", StringComparison.Ordinal) && n.Link == $"/cases/{id}");
            Assert.Equal(1, await db.CaseDocuments.CountAsync(d => d.CaseId == id && d.Kind == "RevocationDecision"));
        }

        // The applicant's own case page shows the result and what followed from it.
        var concluded = await enterprise.Client.GetStringAsync($"/cases/{id}");
        Assert.Contains("核查不实", concluded, StringComparison.Ordinal);
        Assert.Contains("现场核查未见食品安全管理制度", concluded, StringComparison.Ordinal);
        Assert.Contains("已撤销行政许可及证照", concluded, StringComparison.Ordinal);

        var notice = await enterprise.Client.GetAsync($"/api/cases/{id}/documents/revocationDecision");
        Assert.Equal(HttpStatusCode.OK, notice.StatusCode);

        // The next filing on commitment is refused with the reason; filing with all materials is still open.
        var (blocked, problem) = await FileAsync(enterprise, onCommitment: true);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, blocked.StatusCode);
        var reason = problem.GetProperty("errors").GetProperty("onCommitment")[0].GetString();
        Assert.Contains("信用修复", reason, StringComparison.Ordinal);
        Assert.Contains(filed.GetProperty("number").GetString()!, reason, StringComparison.Ordinal);
        var (ordinary, _) = await FileAsync(enterprise, onCommitment: false);
        Assert.Equal(HttpStatusCode.Created, ordinary.StatusCode);

        // The repair: not by the department's officer; by a supervisor with a reason, journalled; then the commitment is open again.
        long recordId;
        await using (var db = factory.CreateDbContext())
        {
            recordId = await db.FalseCommitments.Where(r => r.CaseId == id).Select(r => r.Id).SingleAsync();
        }

        var (notAllowed, _) = await officer.PostAsync($"/api/false-commitments/{recordId}/repair", new { reason = "已整改" });
        Assert.Equal(HttpStatusCode.Conflict, notAllowed.StatusCode);
        var supervisor = await ApiSession.SignInAsync(factory, "supervisor");
        var (noReason, _) = await supervisor.PostAsync($"/api/false-commitments/{recordId}/repair", new { reason = "" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noReason.StatusCode);
        await supervisor.PostOkAsync($"/api/false-commitments/{recordId}/repair", new { reason = "已建立食品安全管理制度并配备管理人员，经复查整改到位" });
        var (again, _) = await FileAsync(enterprise, onCommitment: true);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        await using (var db = factory.CreateDbContext())
        {
            Assert.True(await db.Journal.AnyAsync(e => e.CaseId == id && e.Action == "信用修复"));
        }
    }

    [Fact]
    public async Task VerificationClock_CardsYellowThenRedOnTheWorkingCalendar_AndTheCardClosesWhenRecorded()
    {
        // Approved Tue 29 Sep 2026 with 5 working days to verify: 30 Sep (1), [1–7 Oct holiday], 8 Oct (2), 9 Oct (3), Sat 10 Oct make-up
        // workday (4), Mon 12 Oct (5). Yellow when 80% is used (end of 10 Oct), red when due (end of 12 Oct).
        factory.Clock.SetUtcNow(ClockedAppFactory.At("2026-09-29T10:00"));
        var clerk = new CaseActor("clerk-test", "李晓梅", [Roles.Clerk], "FWZX");
        var officer = new CaseActor("officer-test", "陈立", [Roles.Officer], "SCJG");
        var owner = new CaseActor("owner-test", "张伟", [Roles.Applicant], null);
        var terms = new CommitmentTerms { Duty = "承诺事项", Proof = "证明内容", Liability = "责任", Replaces = ["食品安全管理制度"], VerificationDays = 5 };
        Case c;
        await using (var db = factory.CreateDbContext())
        {
            var matter = await db.Matters.AsNoTracking().Include(m => m.Department).FirstAsync(m => m.Code == FoodLicence);
            matter.Commitment = terms;
            var snapshot = MatterSnapshot.From(matter, "SCJG");
            var definition = await factory.Get<WorkflowCatalog>().CurrentAsync(Case.CommitmentWorkflowId);
            var applicant = new ApplicantInfo { Name = "张伟", IdType = ApplicantIdType.ResidentId, IdNumber = "330799198503120016", Phone = "13800000001" };
            c = await factory.Get<CaseStore>().CreateAsync(async ctx =>
            {
                var draft = Case.Draft(snapshot, applicant, new Dictionary<string, string>(), owner, ctx.Now);
                draft.SignCommitment(terms, owner, ctx.Now);
                draft.Submit(await CaseStore.NextNumberAsync(ctx.Db, "330799", ctx.Now, default), "123456", owner, ctx.Now, ctx.Time);
                draft.Accept(definition, clerk, ctx.Now, ctx.Time);
                draft.Act(definition, draft.OpenSteps.Single().WorkItemId, Outcome.Approve, "准予", null, clerk, ctx.Now, ctx.Time);
                return draft;
            });
        }

        Assert.Equal(CaseState.Approved, c.State);
        Assert.Equal(ClockedAppFactory.At("2026-10-13T00:00"), c.Verification.DueAt);
        var key = new CardSubject(c.Id, Case.VerificationItem).ToString();
        await ScanAtAsync("2026-09-29T10:01");

        await ScanAtAsync("2026-10-10T23:59");
        Assert.DoesNotContain(await CardsAsync(c.Id), x => x.SubjectKey == key);
        await ScanAtAsync("2026-10-11T00:00");
        var yellow = Assert.Single(await CardsAsync(c.Id), x => x.SubjectKey == key);
        Assert.Equal(CardKind.Yellow, yellow.Kind);
        Assert.Equal("SCJG", yellow.Department);
        Assert.Null(yellow.ClosedAt); // a concluded case's verification stays on the active list

        await ScanAtAsync("2026-10-12T23:59");
        Assert.DoesNotContain(await CardsAsync(c.Id), x => x.SubjectKey == key && x.Kind == CardKind.Red);
        await ScanAtAsync("2026-10-13T00:00");
        await ScanAtAsync("2026-10-13T00:05"); // a second scan raises nothing twice
        var red = Assert.Single(await CardsAsync(c.Id), x => x.SubjectKey == key && x.Kind == CardKind.Red);
        Assert.Contains("事中事后核查", red.StepTitle, StringComparison.Ordinal);

        // The result, late, is recorded as late; the next scan takes the cards off the active list.
        factory.Clock.SetUtcNow(ClockedAppFactory.At("2026-10-14T09:00"));
        await factory.Get<CaseStore>().ExecuteAsync(c.Id, officer, (x, ctx) =>
        {
            x.RecordVerification(true, null, officer, ctx.Now, ctx.Time);
            return Task.CompletedTask;
        });
        await ScanAtAsync("2026-10-14T09:01");
        Assert.All((await CardsAsync(c.Id)).Where(x => x.SubjectKey == key), x => Assert.NotNull(x.ClosedAt));
        await using (var db = factory.CreateDbContext())
        {
            var data = await db.Journal.AsNoTracking().Where(e => e.CaseId == c.Id && e.Action == "Verify").Select(e => e.Data).ToListAsync();
            Assert.Contains(data, d => d.Contains("核查属实", StringComparison.Ordinal) && d.Contains("\"late\":\"true\"", StringComparison.Ordinal));
        }
    }

    private async Task<ScanJob.ScanResult> ScanAtAsync(string chinaLocal)
    {
        factory.Clock.SetUtcNow(ClockedAppFactory.At(chinaLocal));
        using var scope = factory.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<ScanJob>().ScanAsync();
    }

    private async Task<List<CardRecord>> CardsAsync(long caseId)
    {
        await using var db = factory.CreateDbContext();
        return await db.SupervisionCards.AsNoTracking().Where(c => c.CaseId == caseId).OrderBy(c => c.Id).ToListAsync();
    }
}
