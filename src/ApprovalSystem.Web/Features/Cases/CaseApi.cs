using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Features.Cases.Acceptance;
using ApprovalSystem.Web.Features.Cases.Conclusion;
using ApprovalSystem.Web.Features.Cases.Signatures;
using ApprovalSystem.Web.Features.Cases.Filing;
using ApprovalSystem.Web.Features.Cases.Handling;
using ApprovalSystem.Web.Features.Cases.Queries;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Workflows;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

using ApprovalSystem.Web.Infrastructure.Http;

namespace ApprovalSystem.Web.Features.Cases;

/// <summary>
/// The case part of the HTTP API: filing (idempotent), materials, progress lookup, my cases, and
/// every act for staff. Errors are problem details (RFC 9457) with a message a person can act on.
/// </summary>
public static class CaseApi
{
    public sealed record CaseDto(
        long Id, string? Number, string? QueryCode, string MatterCode, string MatterName, string State, string StateName, string Channel,
        string Applicant, DateTimeOffset CreatedAt, DateTimeOffset? SubmittedAt, DateTimeOffset? AcceptedAt, DateTimeOffset? ConcludedAt,
        DateTimeOffset? PromisedDueAt, DateTimeOffset? LegalDueAt, DateTimeOffset? ReviewDueAt, string? RefusalReason, IReadOnlyList<string> SupplementItems,
        IReadOnlyList<MaterialDto> Materials, IReadOnlyList<StepDto> Steps, Dictionary<string, string> FormData, string? CertificateNumber,
        Dictionary<string, string> Situation)
    {
        /// <summary>告知承诺 (decision 0060): the commitment signed, the verification's due moment and its result (核查属实/核查不实).</summary>
        public CommitmentDto? Commitment { get; init; }
    }

    public sealed record CommitmentDto(string SignedBy, DateTimeOffset SignedAt, IReadOnlyList<string> Replaces, DateTimeOffset? VerificationDueAt,
        string? VerificationResult, string? Findings);

    /// <param name="ReplacedByCommitment">The applicant's signed commitment stands in for it (告知承诺).</param>
    public sealed record MaterialDto(string Name, bool Required, bool Received, string? FileName, bool ReplacedByCommitment = false);

    public sealed record StepDto(string WorkItemId, string Title, string Department, string Role, bool Open, string? Assignee, DateTimeOffset OpenedAt,
        DateTimeOffset? DueAt, DateTimeOffset? WarnAt, DateTimeOffset? ClosedAt, string? Outcome, string? Opinion, string? ActorName, int EntryCount);

    public sealed record JournalDto(long Sequence, DateTimeOffset At, string Actor, string Role, string? Department, string Action, string ActionName,
        string From, string To, string? Opinion, string Data);

    /// <summary>A public progress lookup: the case number and the 6-digit query code printed on the receipt.</summary>
    public sealed record LookupRequest(string? Number, string? Code);

    public sealed class LookupValidator : AbstractValidator<LookupRequest>
    {
        public LookupValidator()
        {
            RuleFor(x => x.Number).NotEmpty().WithMessage("请填写办件编号").Text(40, "办件编号");
            RuleFor(x => x.Code).NotEmpty().WithMessage("请填写查询码").Text(16, "查询码");
        }
    }

    private static readonly LookupValidator Lookups = new();

    /// <param name="Situation">Answers to the matter's guide questions 情形 (GET /api/matters/{code} lists them); required to submit.</param>
    /// <param name="OnCommitment">告知承诺: the applicant signs the matter's commitment (GET /api/matters/{code} shows it) instead of the
    /// materials it replaces (decision 0060).</param>
    public sealed record FileRequest(string MatterCode, FileCase.ApplicantInput? Applicant, Dictionary<string, string>? FormData, bool Submit = true,
        Dictionary<string, string>? Situation = null, bool OnCommitment = false);

    public sealed record ReasonRequest(string? Reason);

    public sealed record ItemsRequest(IReadOnlyList<string> Items);

    public sealed record AcceptRequest(string? Opinion, decimal? FeeCharged, string? DecideNow, string? DecisionOpinion,
        Dictionary<string, string>? DecisionData = null);

    public sealed record ActRequest(string Outcome, string? Opinion, Dictionary<string, string>? Data);

    public sealed record AssignRequest(string AssigneeUserId);

    public sealed record SpecialProcedureRequest(string Kind, string Reason);

    public sealed record AnswerRequest(bool Approve, string? Opinion);

    public sealed record DeliverRequest(string Method);

    public sealed record ArchiveRequest(IReadOnlyList<string> Files, int RetentionYears, string Location);


    public static CaseDto ToDto(Case c, bool showQueryCode) => new(
        c.Id, c.Number, showQueryCode ? c.QueryCode : null, c.MatterCode, c.MatterName, c.State.ToString(), CaseLifecycle.Name(c.State), c.Channel.ToString(),
        c.Applicant.Name, c.CreatedAt, c.SubmittedAt, c.AcceptedAt, c.ConcludedAt, c.Promised.DueAt, c.Legal.DueAt, c.Review.DueAt, c.RefusalReason,
        c.SupplementItems, c.Materials.Select(m => new MaterialDto(m.Name, m.Required, m.Received, m.FileName, m.ReplacedByCommitment)).ToList(),
        c.Steps.OrderBy(s => s.OpenedAt).Select(s => new StepDto(s.WorkItemId, s.Title, s.Department, s.Role, s.IsOpen, s.AssigneeName, s.OpenedAt,
            s.Deadline.DueAt, s.Deadline.WarnAt, s.ClosedAt, s.Outcome?.ToName(), s.Opinion, s.ActorName, s.EntryCount)).ToList(),
        c.FormData, c.CertificateNumber, c.Situation)
    {
        Commitment = c.Commitment is { } p ? new CommitmentDto(p.SignedBy, p.SignedAt, p.Replaces, c.Verification.DueAt,
            c.VerificationResult is { } v ? (v.Truthful ? "核查属实" : "核查不实") : null, c.VerificationResult?.Findings) : null,
    };

    public static IEndpointRouteBuilder MapCaseApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/cases").WithTags("办件 Cases").RequireAuthorization().AddEndpointFilter(new ProblemFilter("办件不存在"))
            .AddEndpointFilter<PersonalFormDataFilter>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapFilingSignatures(); // the applicant's signature of its filing (decision 0051)

        // The query code is a secret: it travels in the body, never in the address that proxies log (ASVS 14.2.1).
        app.MapPost("/api/cases/lookup",
            async Task<Results<Ok<CaseQueries.PublicProgress>, ProblemHttpResult>> (LookupRequest body, HttpContext http, CaseQueries queries,
            CancellationToken ct) =>
        {
            await Lookups.ValidateAndThrowAsync(body, ct);
            return await queries.LookupAsync(body.Number!, body.Code!, "ip:" + http.Connection.RemoteIpAddress, ct) switch
            {
                { Progress: { } progress } => TypedResults.Ok(progress),
                { Blocked: true } =>
                    TypedResults.Problem(title: "查询过于频繁", detail: LookupGuard.BlockedMessage, statusCode: StatusCodes.Status429TooManyRequests),
                _ => TypedResults.Problem(title: "未找到办件", detail: "办件编号或查询码不正确，请核对受理回执上的办件编号和6位查询码。", statusCode: 404),
            };
        })
            .AllowAnonymous().AddEndpointFilter(new ProblemFilter("办件不存在")).ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .WithTags("办件 Cases").WithName("LookupCase")
            .WithSummary("Public progress by case number and query code (no personal data). "
                + "Wrong codes are counted per address and per number: past the limit it answers 429.");

        api.MapPost("/",
            async ([FromBody] FileRequest body, [FromHeader(Name = "Idempotency-Key")] string? key, HttpContext http, FileCase.Handler handler,
            CancellationToken ct) =>
        {
            var c = await handler.HandleAsync(new FileCase.Command { MatterCode = body.MatterCode, Applicant = body.Applicant, FormData = body.FormData ?? [],
                Submit = body.Submit, IdempotencyKey = key, Situation = body.Situation, OnCommitment = body.OnCommitment }, http.User.ToActor(), ct);
            return TypedResults.Created($"/api/cases/{c.Id}", ToDto(c, showQueryCode: true));
        }).RequireAuthorization(p => p.RequireRole(Roles.Applicant, Roles.Agent, Roles.Clerk))
          .WithName("FileCase")
          .WithSummary("File an application (applicant, agent or clerk). Send an Idempotency-Key header so a retried request never files twice; "
              + "the same key with a different request is refused (422).")
          .WithJsonNames(("idempotencyKey", "Idempotency-Key"));

        api.MapGet("/mine", async (HttpContext http, CaseQueries queries, int? skip, int? take, string? q, CancellationToken ct) =>
        {
            var page = await queries.MineAsync(http.User.ToActor(), skip ?? 0, take ?? 500, q, ct);
            http.Response.Headers["X-Total-Count"] = page.Total.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Ok(page.Rows);
        })
            .WithName("MyCases").WithSummary("The signed-in applicant's cases, newest first (an agent: the station's; an officer: the department's); "
                + "q = part of the number or the applicant's name; skip/take, at most 500; X-Total-Count.");

        api.MapGet("/{id:long}", async Task<Results<Ok<CaseDto>, ProblemHttpResult>> (long id, HttpContext http, CaseQueries queries, CancellationToken ct) =>
        {
            var actor = http.User.ToActor();
            return await queries.GetAsync(id, actor, ct) is { } c
                ? OkFor(c, actor)
                : NotFound();
        }).WithName("GetCase").WithSummary("One case as the signed-in user may see it (its filer and the window also see the query code).");

        api.MapGet("/{id:long}/journal",
            async Task<Results<Ok<List<JournalDto>>, ProblemHttpResult>> (long id, HttpContext http, CaseQueries queries, CancellationToken ct) =>
        {
            var actor = http.User.ToActor();
            if (await queries.GetAsync(id, actor, ct) is null)
            {
                return NotFound();
            }

            var entries = await queries.JournalAsync(id, actor, ct);
            return TypedResults.Ok(entries.Select(e => new JournalDto(e.Sequence, e.At, e.ActorName, e.Role, e.Department, e.Action,
                Enum.TryParse<CaseTrigger>(e.Action, out var t) ? CaseLifecycle.Name(t) : e.Action, e.FromState, e.ToState, e.Opinion, e.Data)).ToList());
        }).WithName("CaseJournal").WithSummary("The case's journal 办件日志: every act with who, role, department, when, opinion and data.");

        api.MapGet("/{id:long}/files/{sha}",
            async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> (long id, string sha, HttpContext http, CaseQueries queries, StorageOptions storage,
            Microsoft.EntityFrameworkCore.IDbContextFactory<Data.AppDbContext> dbFactory, CancellationToken ct) =>
        {
            var c = await queries.GetAsync(id, http.User.ToActor(), ct);
            var material = c?.Materials.FirstOrDefault(m => m.FileSha256 == sha);
            if (material is null)
            {
                return NotFound();
            }

            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var type = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstOrDefaultAsync(db.StoredFiles.Where(f => f.Sha256 == sha)
                .Select(f => f.ContentType), ct) ?? "application/octet-stream";
            return TypedResults.PhysicalFile(ContentFiles.PathFor(storage.DataFolder, sha), type, material.FileName);
        }).WithName("CaseFile").WithSummary("Download an uploaded material of a case the caller may see.");

        api.MapGet("/{id:long}/documents/{kind}",
            async Task<Results<FileContentHttpResult, ProblemHttpResult>> (long id, string kind, HttpContext http, CaseQueries queries,
            Documents.CaseDocumentArchive archive, bool? inline, CancellationToken ct) =>
        {
            var c = await queries.GetAsync(id, http.User.ToActor(), ct);
            if (c is null)
            {
                return NotFound();
            }

            if (!Enum.TryParse<Documents.CaseDocumentKind>(kind, ignoreCase: true, out var k) || !Documents.CaseDocuments.Available(c).Contains(k))
            {
                return TypedResults.Problem(title: "没有这份文书", detail: "办件当前没有这份文书（例如尚未受理、没有补正告知）。", statusCode: 404);
            }

            try
            {
                // The document as issued at its act; cases from before documents were stored are rendered now.
                if (Documents.CaseDocumentArchive.IsIssued(k) && await archive.IssuedAsync(id, k, ct) is { } issued)
                {
                    // inline=true opens the PDF in the browser to print it; otherwise it is downloaded under its name.
                    return TypedResults.File(issued.Pdf, "application/pdf", inline == true ? null : issued.FileName);
                }

                var pdf = await archive.RenderAsync(k, c, archive.PublicBaseUrl(http.Request), ct);
                return TypedResults.File(pdf, "application/pdf", inline == true ? null : $"{Documents.CaseDocuments.Title(k)}-{c.Number}.pdf");
            }
            catch (Documents.FontMissingException e)
            {
                return TypedResults.Problem(title: "无法打印", detail: e.Message, statusCode: 503);
            }
            catch (ContentFileException)
            {
                // Never a new rendering in its place: the issued bytes are the document (the archive logged which file).
                return TypedResults.Problem(title: "文书存档异常", detail: "这份文书的存档文件缺失或已被改动，无法提供原件。请联系系统管理员核查。", statusCode: 500);
            }
        }).WithName("CaseDocument")
            .WithSummary("A document of the case as PDF (as stored when issued): receipt, acceptanceNotice, supplementNotice, nonAcceptanceNotice, "
            + "specialProcedureNotice, extensionNotice, approvalDecision, denialDecision, certificate, applicationForm, commitmentLetter (告知承诺书), "
            + "revocationDecision (撤销行政许可决定书).");

        api.MapPost("/{id:long}/submit", async (long id, HttpContext http, SubmitCase.Handler h, CancellationToken ct) =>
            OkFor(await h.HandleAsync(new(id), http.User.ToActor(), ct), http.User.ToActor()))
            .WithName("SubmitDraft").WithSummary("Submit a saved draft 提交 (applicant or agent): it gets its case number and query code.");

        api.MapPost("/{id:long}/materials",
            async (long id, [FromForm] string material, IFormFile file, HttpContext http, UploadMaterial.Handler h, CancellationToken ct) =>
        {
            await using var stream = file.OpenReadStream();
            return Ok(await h.HandleAsync(new(id, material, file.FileName, stream), http.User.ToActor(), ct));
        }).DisableAntiforgery() // a multipart post: the origin guard asks it for X-Requested-With (decision 0022)
          .WithName("UploadMaterial")
          .WithSummary("Upload one material (multipart: material = checklist name, file = PDF/JPG/PNG ≤ 20 MB). Send X-Requested-With.")
          .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        api.MapPost("/{id:long}/withdraw", async (long id, ReasonRequest body, HttpContext http, WithdrawCase.Handler h, CancellationToken ct) =>
            Ok(await h.HandleAsync(new(id, body.Reason), http.User.ToActor(), ct)))
            .WithName("WithdrawCase").WithSummary("Withdraw 撤回 an open application (its applicant or the agent who filed it); reason optional.");
        api.MapPost("/{id:long}/resubmit", async (long id, ReasonRequest body, HttpContext http, ResubmitCase.Handler h, CancellationToken ct) =>
            OkFor(await h.HandleAsync(new(id, body.Reason), http.User.ToActor(), ct), http.User.ToActor()))
            .WithJsonNames(("note", "reason")).WithName("ResubmitCase").WithSummary("Hand in the supplement 补正 and return the filing to the window.");
        api.MapPost("/{id:long}/review", async (long id, ItemsRequest body, HttpContext http, ReviewCase.Handler h, CancellationToken ct) =>
            Ok(await h.HandleAsync(new(id, body.Items, null), http.User.ToActor(), ct)))
            .WithJsonNames(("receivedMaterials", "items"))
            .WithName("ReviewMaterials").WithSummary("The window records which materials it received 预审 (items = checklist names).");
        api.MapPost("/{id:long}/accept", async (long id, AcceptRequest body, HttpContext http, AcceptCase.Handler h, CancellationToken ct) =>
            Ok(await h.HandleAsync(new(id, body.Opinion, body.FeeCharged, ParseOutcome(body.DecideNow, "decideNow"), body.DecisionOpinion,
                DecisionData: body.DecisionData), http.User.ToActor(), ct)))
            .WithName("AcceptCase")
            .WithSummary("Accept 受理 (window clerk): the workflow starts; decideNow = approve|deny decides an immediate matter on the spot, "
                + "with decisionData = what its step asks for (an individual business's 统一社会信用代码).");
        api.MapPost("/{id:long}/refuse", async (long id, ReasonRequest body, HttpContext http, RefuseCase.Handler h, CancellationToken ct) =>
            Ok(await h.HandleAsync(new(id, body.Reason ?? ""), http.User.ToActor(), ct)))
            .WithName("RefuseCase").WithSummary("Refuse to accept 不予受理 (window clerk); the reason is required and told to the applicant.");
        api.MapPost("/{id:long}/supplement", async (long id, ItemsRequest body, HttpContext http, RequestSupplement.Handler h, CancellationToken ct) =>
            Ok(await h.HandleAsync(new(id, body.Items), http.User.ToActor(), ct)))
            .WithName("RequestSupplement").WithSummary("One-time supplement notice 一次性告知 (window clerk): every missing or wrong item at once.");
        api.MapPost("/{id:long}/tasks/{workItemId}/claim", async (long id, string workItemId, HttpContext http, ClaimTask.Handler h, CancellationToken ct) =>
            Ok(await h.HandleAsync(new(id, workItemId), http.User.ToActor(), ct)))
            .WithName("ClaimTask").WithSummary("Claim 签收 an open task of the officer's department.");
        api.MapPost("/{id:long}/tasks/{workItemId}/assign",
            async (long id, string workItemId, AssignRequest body, HttpContext http, AssignTask.Handler h, CancellationToken ct) =>
            Ok(await h.HandleAsync(new(id, workItemId, body.AssigneeUserId), http.User.ToActor(), ct)))
            .WithName("AssignTask").WithSummary("Assign or reassign 分派/改派 a task to an officer of the department (department head).");
        api.MapPost("/{id:long}/tasks/{workItemId}/act",
            async (long id, string workItemId, ActRequest body, HttpContext http, ActOnTask.Handler h, CancellationToken ct) =>
            Ok(await h.HandleAsync(new(id, workItemId,
                ParseOutcome(body.Outcome, "outcome") ?? throw InputRules.Invalid("outcome", "请选择办理结果：approve、deny 或 return"), body.Opinion, body.Data),
                http.User.ToActor(), ct)))
            .WithJsonNames(("sectionData", "data")).WithName("ActOnTask")
            .WithSummary("Act 办理 on a task: outcome approve|deny|return, opinion (required to deny or return), "
                + "data = the step's fields (see workflows/README.md).");
        api.MapPost("/{id:long}/special-procedure",
            async (long id, SpecialProcedureRequest body, HttpContext http, SpecialProcedureActs.Handler h, CancellationToken ct) =>
            Ok(await h.StartAsync(new(id, body.Kind, body.Reason), http.User.ToActor(), ct)))
            .WithName("StartSpecialProcedure").WithSummary("Start a special procedure 特别程序 (kind, reason): every clock stops.");
        api.MapPost("/{id:long}/special-procedure/end",
            async (long id, ReasonRequest body, HttpContext http, SpecialProcedureActs.Handler h, CancellationToken ct) =>
            Ok(await h.EndAsync(new(id, body.Reason), http.User.ToActor(), ct)))
            .WithJsonNames(("result", "reason"))
            .WithName("EndSpecialProcedure").WithSummary("End the special procedure with its result: the clocks run again.");
        api.MapPost("/{id:long}/extension", async (long id, ReasonRequest body, HttpContext http, ExtensionActs.Handler h, CancellationToken ct) =>
            Ok(await h.RequestAsync(new(id, body.Reason ?? ""), http.User.ToActor(), ct)))
            .WithName("RequestExtension")
            .WithSummary("Ask for an extension 延期 (+10 working days, +15 for joint matters), with the reason told to the applicant.");
        api.MapPost("/{id:long}/extension/answer", async (long id, AnswerRequest body, HttpContext http, ExtensionActs.Handler h, CancellationToken ct) =>
            Ok(await h.AnswerAsync(new(id, body.Approve, body.Opinion), http.User.ToActor(), ct)))
            .WithName("AnswerExtension").WithSummary("The lead department's head approves or refuses the pending extension.");
        api.MapPost("/{id:long}/deliver", async (long id, DeliverRequest body, HttpContext http, DeliverCase.Handler h, CancellationToken ct) =>
            Ok(await h.HandleAsync(new(id, body.Method), http.User.ToActor(), ct)))
            .WithName("DeliverCase").WithSummary("Record the delivery 送达 of the decision or certificate (method: 窗口领取, 邮寄 …).");
        api.MapPost("/{id:long}/archive", async (long id, ArchiveRequest body, HttpContext http, ArchiveCase.Handler h, CancellationToken ct) =>
            Ok(await h.HandleAsync(new(id, body.Files, body.RetentionYears, body.Location), http.User.ToActor(), ct)))
            .WithName("ArchiveCase").WithSummary("Archive 归档 a concluded case: files, retention years, location.");

        app.MapGet("/api/journal/verify", async (CaseQueries queries, CancellationToken ct) => TypedResults.Ok(await queries.VerifyJournalAsync(ct)))
            .RequireAuthorization(p => p.RequireRole(Roles.Supervisor, Roles.Administrator)).WithTags("办件 Cases")
            .WithSummary("Verify the whole journal's hash chain; reports the first entry that no longer matches.");

        return app;
    }

    internal static Ok<CaseDto> Ok(Case c) => TypedResults.Ok(ToDto(c, showQueryCode: false));

    /// <summary>The case as the actor sees it: its filer (applicant, agent) and the window see the query code 查询码 that goes with the number.</summary>
    private static Ok<CaseDto> OkFor(Case c, CaseActor actor) =>
        TypedResults.Ok(ToDto(c, showQueryCode: c.OwnerUserId == actor.UserId || c.AgentUserId == actor.UserId || actor.Is(Roles.Clerk)
            || actor.Is(Roles.Agent)));

    private static ProblemHttpResult NotFound() => TypedResults.Problem(title: "办件不存在", detail: "办件不存在，或您无权查看。", statusCode: 404);

    /// <summary>An outcome named in the body; another word is invalid input (422 naming the field), not a refused act.</summary>
    private static Outcome? ParseOutcome(string? value, string field) => value?.Trim().ToUpperInvariant() switch
    {
        null or "" => null,
        "APPROVE" => Outcome.Approve,
        "DENY" => Outcome.Deny,
        "RETURN" => Outcome.Return,
        _ => throw InputRules.Invalid(field, $"“{(value.Length > 20 ? value[..20] + "…" : value)}”不是有效的办理结果，应为 approve、deny 或 return"),
    };
}
