using System.Security.Cryptography;
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

    public sealed class Handler(CaseStore store, IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, Validator validator)
    {
        public async Task<Case> HandleAsync(Command command, CaseActor actor, CancellationToken ct = default)
        {
            await validator.ValidateAndThrowAsync(command, ct);
            using var buffer = new MemoryStream();
            await CopyLimitedAsync(command.Content, buffer, ct);
            var bytes = buffer.ToArray();
            var sha = await StoreAsync(dbFactory, store.DataFolder, clock, bytes, command.FileName, ct);
            var name = Path.GetFileName(command.FileName);
            return await store.ExecuteAsync(command.CaseId, actor, (c, ctx) =>
            {
                c.AttachMaterial(command.MaterialName, sha, name, bytes.Length, actor, ctx.Now);
                return Task.CompletedTask;
            }, ct);
        }
    }

    /// <summary>Keeps a PDF/JPG/PNG by its SHA-256 under the data folder (once per content) and returns the hash.</summary>
    public static async Task<string> StoreAsync(IDbContextFactory<AppDbContext> dbFactory, string dataFolder, TimeProvider clock, byte[] bytes, string fileName, CancellationToken ct)
    {
        var contentType = Sniff(bytes) ?? throw new CaseRuleException($"“{Path.GetFileName(fileName)}”不是PDF、JPG或PNG文件，请转换后再上传");
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var path = PathFor(dataFolder, sha);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            await File.WriteAllBytesAsync(temp, bytes, ct);
            File.Move(temp, path, overwrite: true);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.StoredFiles.AnyAsync(f => f.Sha256 == sha, ct))
        {
            db.StoredFiles.Add(new StoredFile { Sha256 = sha, ContentType = contentType, Size = bytes.Length, StoredAt = clock.GetUtcNow() });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Stored by a concurrent upload of the same content.
            }
        }

        return sha;
    }

    public static string PathFor(string dataFolder, string sha256) => Path.Combine(dataFolder, "files", sha256[..2], sha256[2..4], sha256);

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
                throw new CaseRuleException($"文件超过{MaxBytes / 1024 / 1024}MB，请压缩后再上传");
            }

            target.Write(chunk, 0, read);
        }

        if (target.Length == 0)
        {
            throw new CaseRuleException("文件是空的，请重新选择");
        }
    }
}
