using ApprovalSystem.Core.Bundles;
using ApprovalSystem.Core.Catalogue;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Admin.Catalogue;
using ApprovalSystem.Web.Features.Cases.Filing;
using ApprovalSystem.Web.Infrastructure;
using ApprovalSystem.Web.Infrastructure.Http;
using ApprovalSystem.Web.Infrastructure.Seeding;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Bundles;

/// <summary>Bundles 一件事 (issue 20, decision 0054): the catalogue's bundles, filing, the window's acts, progress, the applicant's view.</summary>
public static class BundlesModule
{
    public static IServiceCollection AddBundles(this IServiceCollection services)
    {
        services.AddSingleton<FileBundle.Validator>();
        services.AddScoped<FileBundle.Handler>();
        services.AddSingleton<BundleActs.SupplementValidator>();
        services.AddSingleton<BundleActs.RefuseValidator>();
        services.AddScoped<BundleActs.Handler>();
        services.AddScoped<BundleStore>();
        services.AddScoped<BundleProgress>();
        services.AddScoped<BundleQueries>();
        services.AddSingleton<ReplacedMatters>(); // keeps what the bundles replace between their changes
        services.AddScoped<Pages.BundleGuideQueries>();
        services.AddScoped<Pages.BundlePageQueries>();
        services.AddScoped<BundleWindow>();
        services.AddSingleton<ICaseActObserver, BundleMemberObserver>();
        services.AddScoped<IReferenceSeed, BundleSeed>();
        return services;
    }

    public sealed record FileRequest(string BundleCode, FileCase.ApplicantInput? Applicant, Dictionary<string, string>? Answers,
        Dictionary<string, string>? FormData, bool Submit = true);

    public sealed record AcceptRequest(IReadOnlyList<string>? ReceivedMaterials, string? Opinion);

    public sealed record ItemsRequest(IReadOnlyList<string> Items);

    public sealed record ReasonRequest(string? Reason);

    public sealed record RateRequest(int Level, string? Comment);

    public sealed record BundleSummary(string Code, string Name, string LifeEvent, string Department, int PromisedLimitDays, string OnRefusal, int Members);

    public static IEndpointRouteBuilder MapBundles(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/bundles", async (IDbContextFactory<AppDbContext> dbFactory, CancellationToken ct) =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var list = await db.Bundles.AsNoTracking().Where(b => b.IsPublished).OrderBy(b => b.Code).ToListAsync(ct);
            return TypedResults.Ok(list.Select(b => new BundleSummary(b.Code, b.Name, b.Definition.LifeEvent, b.Department, b.Definition.PromisedLimitDays,
                b.Definition.OnRefusal == BundleRefusalRule.Stop ? "整件终止" : "其余事项继续办理", b.Definition.Members.Count)).ToList());
        }).AllowAnonymous().WithTags("一件事 Bundles").WithName("ListBundles").WithSummary("The published bundles 一件事 of the catalogue.");

        app.MapGet("/api/bundles/{code}", async Task<Results<Ok<BundleData>, ProblemHttpResult>> (string code, IDbContextFactory<AppDbContext> dbFactory,
            CancellationToken ct) =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            return await db.Bundles.AsNoTracking().FirstOrDefaultAsync(b => b.Code == code && b.IsPublished, ct) is { } b
                ? TypedResults.Ok(b.Definition)
                : TypedResults.Problem(title: "一件事不存在", detail: $"没有编码为“{code}”的一件事，请通过 GET /api/bundles 查询", statusCode: 404);
        }).AllowAnonymous().WithTags("一件事 Bundles").WithName("GetBundle").WithSummary("A bundle's questions, members, merged form and materials.");

        var api = app.MapGroup("/api/bundle-cases").WithTags("一件事 Bundles").RequireAuthorization().AddEndpointFilter(new ProblemFilter("一件事办件不存在"))
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        api.MapPost("/", async ([FromBody] FileRequest body, HttpContext http, FileBundle.Handler handler, BundleQueries queries, CancellationToken ct) =>
        {
            var actor = http.User.ToActor();
            var b = await handler.HandleAsync(new FileBundle.Command { BundleCode = body.BundleCode, Applicant = body.Applicant, Answers = body.Answers ?? [],
                FormData = body.FormData ?? [], Submit = body.Submit }, actor, ct);
            return TypedResults.Created($"/api/bundle-cases/{b.Id}", await queries.ViewAsync(b.Id, actor, ct));
        }).RequireAuthorization(p => p.RequireRole(Roles.Applicant, Roles.Agent, Roles.Clerk)).WithName("FileBundle")
            .WithSummary("File a bundle: answers, merged form; submit at once or keep a draft.");

        api.MapGet("/mine", async (HttpContext http, BundleQueries queries, CancellationToken ct) =>
            TypedResults.Ok((await queries.MineAsync(http.User.ToActor(), ct))
                .Select(b => new { b.Id, b.Number, b.BundleName, State = BundleCase.Name(b.State), b.SubmittedAt })))
            .WithName("MyBundles");

        api.MapGet("/{id:long}", async (long id, HttpContext http, BundleQueries queries, CancellationToken ct) =>
            TypedResults.Ok(await queries.ViewAsync(id, http.User.ToActor(), ct))).WithName("GetBundleCase")
            .WithSummary("One bundle case: each member's progress, the notices, all results in one list.");

        api.MapPost("/{id:long}/materials", async (long id, [FromForm] string material, IFormFile file, HttpContext http, BundleActs.Handler handler,
            BundleQueries queries, CancellationToken ct) =>
        {
            await using var stream = file.OpenReadStream();
            await handler.UploadAsync(new BundleActs.UploadCommand(id, material, file.FileName, stream), http.User.ToActor(), ct);
            return TypedResults.Ok(await queries.ViewAsync(id, http.User.ToActor(), ct));
        }).DisableAntiforgery().WithName("UploadBundleMaterial").WithSummary("Upload a merged material once: attached to every member that needs it.");

        api.MapPost("/{id:long}/submit", async (long id, HttpContext http, BundleActs.Handler handler, BundleQueries queries, CancellationToken ct) =>
        {
            await handler.SubmitAsync(id, http.User.ToActor(), ct);
            return TypedResults.Ok(await queries.ViewAsync(id, http.User.ToActor(), ct));
        }).WithName("SubmitBundle");

        api.MapPost("/{id:long}/accept", async (long id, [FromBody] AcceptRequest body, HttpContext http, BundleActs.Handler handler, BundleQueries queries,
            CancellationToken ct) =>
        {
            await handler.AcceptAsync(new BundleActs.AcceptCommand(id, body.ReceivedMaterials, body.Opinion), http.User.ToActor(), ct);
            return TypedResults.Ok(await queries.ViewAsync(id, http.User.ToActor(), ct));
        }).RequireAuthorization(p => p.RequireRole(Roles.Clerk)).WithName("AcceptBundle").WithSummary("One acceptance for the bundle and its members.");

        api.MapPost("/{id:long}/supplement", async (long id, [FromBody] ItemsRequest body, HttpContext http, BundleActs.Handler handler, BundleQueries queries,
            CancellationToken ct) =>
        {
            await handler.RequestSupplementAsync(new BundleActs.SupplementCommand(id, body.Items ?? []), http.User.ToActor(), ct);
            return TypedResults.Ok(await queries.ViewAsync(id, http.User.ToActor(), ct));
        }).RequireAuthorization(p => p.RequireRole(Roles.Clerk)).WithName("RequestBundleSupplement").WithSummary("One supplement notice across members.");

        api.MapPost("/{id:long}/resubmit", async (long id, HttpContext http, BundleActs.Handler handler, BundleQueries queries, CancellationToken ct) =>
        {
            await handler.ResubmitAsync(id, http.User.ToActor(), ct);
            return TypedResults.Ok(await queries.ViewAsync(id, http.User.ToActor(), ct));
        }).WithName("ResubmitBundle");

        api.MapPost("/{id:long}/refuse", async (long id, [FromBody] ReasonRequest body, HttpContext http, BundleActs.Handler handler, BundleQueries queries,
            CancellationToken ct) =>
        {
            await handler.RefuseAsync(new BundleActs.RefuseCommand(id, body.Reason ?? ""), http.User.ToActor(), ct);
            return TypedResults.Ok(await queries.ViewAsync(id, http.User.ToActor(), ct));
        }).RequireAuthorization(p => p.RequireRole(Roles.Clerk)).WithName("RefuseBundle");

        api.MapPost("/{id:long}/rating", async (long id, [FromBody] RateRequest body, HttpContext http, BundleQueries queries, CancellationToken ct) =>
        {
            var members = await queries.RateAsync(new BundleQueries.RateCommand(id, body.Level, body.Comment), http.User.ToActor(), ct);
            return TypedResults.Ok(new { rated = members });
        }).WithName("RateBundle").WithSummary("Rate the bundle once: counted for every concluded member's department.");
        return app;
    }
}

/// <summary>
/// The shipped bundles a database lacks (one seeded before bundles existed, or before a release shipped more of them): those bundles,
/// and the departments and matters of the seed catalogue they need that the database lacks. Bundles are never deleted (an administrator
/// unpublishes one), so a missing code is one never loaded; administrators' edits of existing rows are left alone.
/// </summary>
public sealed class BundleSeed(ILogger<BundleSeed> logger) : IReferenceSeed
{
    public int Order => 11;

    public async Task SeedAsync(AppDbContext db, CancellationToken ct)
    {
        var data = CatalogueData.Parse(await File.ReadAllTextAsync(Path.Combine(DatabaseInitializer.SeedFolder, "catalogue.json"), ct));
        var loaded = await db.Bundles.Select(b => b.Code).ToListAsync(ct);
        var bundles = data.Bundles.Where(b => !loaded.Contains(b.Code)).ToList();
        if (bundles.Count == 0)
        {
            return;
        }

        var departments = await db.Departments.Select(d => d.Code).ToListAsync(ct);
        var matters = await db.Matters.Select(m => m.Code).ToListAsync(ct);
        var missing = new CatalogueData
        {
            Departments = [.. data.Departments.Where(d => !departments.Contains(d.Code))],
            Matters = [.. data.Matters.Where(m => !matters.Contains(m.Code))],
            Bundles = bundles,
        };
        await CatalogueWriter.ApplyAsync(db, missing, ct);
        logger.LogInformation("Bundles loaded: {Bundles} bundles, {Matters} matters added", bundles.Count, missing.Matters.Count);
    }
}
