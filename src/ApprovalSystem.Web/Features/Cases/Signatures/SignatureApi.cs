using ApprovalSystem.Web.Features.Cases.Queries;
using ApprovalSystem.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ApprovalSystem.Web.Features.Cases.Signatures;

/// <summary>The filing signature's endpoints: the text to sign, the signature, and its verification (decision 0051).</summary>
public static class SignatureApi
{
    public sealed record SigningText(string SignedAt, string Content);

    public sealed record SignatureRequest(DateTimeOffset SignedAt, string Signature);

    public static RouteGroupBuilder MapFilingSignatures(this RouteGroupBuilder api)
    {
        api.MapGet("/{id:long}/signing-text", async Task<Results<Ok<SigningText>, ProblemHttpResult>> (long id, HttpContext http, CaseQueries queries,
            TimeProvider time, CancellationToken ct) =>
        {
            if (await queries.GetAsync(id, http.User.ToActor(), ct) is not { } c)
            {
                return NotFound();
            }

            var now = time.GetUtcNow();
            now = new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
            return TypedResults.Ok(new SigningText(now.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
                Convert.ToBase64String(FilingSignatures.Canonical(c, now))));
        }).WithName("FilingSigningText")
            .WithSummary("The canonical text of the filing for the applicant to sign with its own key (base64 of UTF-8 JSON), and the signing time in it.");

        api.MapPost("/{id:long}/signature", async Task<Results<Ok<FilingSignatures.Verification>, ProblemHttpResult>> (long id, SignatureRequest body,
            HttpContext http, CaseQueries queries, FilingSignatures.Handler handler, CancellationToken ct) =>
        {
            var actor = http.User.ToActor();
            if (await queries.GetAsync(id, actor, ct) is not { } c)
            {
                return NotFound();
            }

            byte[] signature;
            try
            {
                signature = Convert.FromBase64String(body.Signature ?? "");
            }
            catch (FormatException)
            {
                return TypedResults.Problem(title: "签名格式不正确", detail: "signature 应为 CMS/PKCS#7 签名（DER）的 Base64 编码。", statusCode: 400);
            }

            var (result, stored) = await handler.AcceptAsync(c, actor, body.SignedAt, signature, ct);
            return stored
                ? TypedResults.Ok(result)
                : TypedResults.Problem(title: "签名未被接受", detail: result.Text, statusCode: StatusCodes.Status422UnprocessableEntity);
        }).WithName("SignFiling")
            .WithSummary("The filer's detached CMS signature (base64) of the signing text at signedAt, made with a certificate bound to its account.");

        api.MapGet("/{id:long}/signature", async Task<Results<Ok<FilingSignatures.Verification>, ProblemHttpResult>> (long id, HttpContext http,
            CaseQueries queries, FilingSignatures.Handler handler, CancellationToken ct) =>
        {
            if (await queries.GetAsync(id, http.User.ToActor(), ct) is not { } c)
            {
                return NotFound();
            }

            return await handler.VerifyStoredAsync(c, ct) is { } verification
                ? TypedResults.Ok(verification)
                : TypedResults.Problem(title: "未签名", detail: "申请人没有用数字证书签名这份申请。", statusCode: 404);
        }).WithName("FilingSignature").WithSummary("The filer's signature verified against the case as stored now.");
        return api;
    }

    private static ProblemHttpResult NotFound() => TypedResults.Problem(title: "办件不存在", detail: "办件不存在，或您无权查看。", statusCode: 404);
}
