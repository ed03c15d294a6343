using ApprovalSystem.Core.Cases;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Cases.Filing;

/// <summary>
/// Upload a material 上传材料: the type is checked by content (PDF, JPEG, PNG), the size is limited,
/// and the file is stored once by its SHA-256 under the data folder — never in a public folder.
/// </summary>
public static class UploadMaterial
{
    public const long MaxBytes = 20 * 1024 * 1024;

    public sealed record Command(long CaseId, string MaterialName, string FileName, Stream Content);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.MaterialName).NotEmpty().WithMessage("请选择上传的是哪一项材料").MaximumLength(200);
            RuleFor(c => c.FileName).NotEmpty().WithMessage("上传的文件没有文件名").MaximumLength(200).WithMessage("文件名不能超过200个字符");
        }
    }

    /// <summary>
    /// Nothing is kept before the act has checked who may upload to the case and whether it takes materials now:
    /// the file is written and its <see cref="StoredFile"/> row added inside the act, so the row commits with the
    /// material or not at all, and a file written for an act that then failed is removed again.
    /// </summary>
    public sealed class Handler(CaseStore store, IDbContextFactory<AppDbContext> dbFactory, Validator validator)
    {
        public async Task<Case> HandleAsync(Command command, CaseActor actor, CancellationToken ct = default)
        {
            await validator.ValidateAndThrowAsync(command, ct);
            using var buffer = new MemoryStream();
            await CopyLimitedAsync(command.Content, buffer, ct);
            var bytes = buffer.ToArray();
            var (sha, contentType) = Identify(bytes, command.FileName);
            var name = Path.GetFileName(command.FileName);
            var created = false;
            try
            {
                return await store.ExecuteAsync(command.CaseId, actor, async (c, ctx) =>
                {
                    c.AttachMaterial(command.MaterialName, sha, name, bytes.Length, actor, ctx.Now);
                    created |= await ContentFiles.WriteAsync(store.DataFolder, sha, bytes, ct);
                    await ContentFiles.RegisterAsync(ctx.Db, sha, contentType, bytes.Length, ctx.Now, ct);
                }, ct);
            }
            catch when (created)
            {
                await ContentFiles.ForgetUnregisteredAsync(dbFactory, store.DataFolder, sha);
                throw;
            }
        }
    }

    /// <summary>Keeps a PDF/JPG/PNG by its SHA-256 under the data folder (once per content) and returns the hash.</summary>
    public static async Task<string> StoreAsync(IDbContextFactory<AppDbContext> dbFactory, string dataFolder, TimeProvider clock, byte[] bytes, string fileName,
        CancellationToken ct)
    {
        var (sha, contentType) = Identify(bytes, fileName);
        await ContentFiles.WriteAsync(dataFolder, sha, bytes, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await ContentFiles.RegisterAsync(db, sha, contentType, bytes.Length, clock.GetUtcNow(), ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Stored by a concurrent upload of the same content.
        }

        return sha;
    }

    /// <summary>The content's hash and its type by its first bytes, or the Chinese refusal of a file that is no PDF, JPG or PNG.</summary>
    public static (string Sha256, string ContentType) Identify(byte[] bytes, string fileName) =>
        (ContentFiles.Sha256Of(bytes),
         Sniff(bytes) ?? throw new CaseInputException(InputProblem.UnsupportedType, "file", $"“{Path.GetFileName(fileName)}”不是PDF、JPG或PNG文件，请转换后再上传"));

    /// <summary>The content type by the file's first bytes; the name and the browser's claim are not trusted.</summary>
    public static string? Sniff(ReadOnlySpan<byte> b) =>
        b.StartsWith("%PDF-"u8) ? "application/pdf"
        : b.Length > 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF ? "image/jpeg"
        : b.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) ? "image/png"
        : null;

    private static async Task CopyLimitedAsync(Stream source, MemoryStream target, CancellationToken ct)
    {
        var chunk = new byte[81920];
        int read;
        while ((read = await source.ReadAsync(chunk, ct)) > 0)
        {
            if (target.Length + read > MaxBytes)
            {
                throw new CaseInputException(InputProblem.TooLarge, "file", $"文件超过{MaxBytes / 1024 / 1024}MB，请压缩到{MaxBytes / 1024 / 1024}MB以内再上传");
            }

            target.Write(chunk, 0, read);
        }

        if (target.Length == 0)
        {
            throw new CaseInputException(InputProblem.Invalid, "file", "文件是空的（0字节），请重新选择");
        }
    }
}
