using System.Security.Cryptography;
using ApprovalSystem.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Infrastructure;

/// <summary>
/// The files kept under the data folder (never a public one), each once by the SHA-256 of its content: uploaded
/// materials, order attachments, issued documents. A <see cref="StoredFile"/> row registers each; a file no row
/// registers is one whose save did not commit.
/// </summary>
public static class ContentFiles
{
    public static string PathFor(string dataFolder, string sha256) => Path.Combine(dataFolder, "files", sha256[..2], sha256[2..4], sha256);

    public static string Sha256Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>Writes the content under its hash unless it is there already; true when this call created the file.</summary>
    public static async Task<bool> WriteAsync(string dataFolder, string sha, byte[] bytes, CancellationToken ct)
    {
        var path = PathFor(dataFolder, sha);
        if (File.Exists(path))
        {
            return false;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        await File.WriteAllBytesAsync(temp, bytes, ct);
        File.Move(temp, path, overwrite: true);
        return true;
    }

    /// <summary>The file's bytes, checked against its hash: a file that is missing or changed is never served as the original.</summary>
    public static async Task<byte[]> ReadVerifiedAsync(string dataFolder, string sha, CancellationToken ct)
    {
        var path = PathFor(dataFolder, sha);
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path, ct);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ContentFileException($"The file {sha} is missing from {Path.GetDirectoryName(path)}", e);
        }

        return Sha256Of(bytes) == sha ? bytes : throw new ContentFileException($"The file {path} no longer has the SHA-256 it was stored under");
    }

    /// <summary>Adds the file's row to the unit of work unless the content is registered already.</summary>
    public static async Task RegisterAsync(AppDbContext db, string sha, string contentType, long size, DateTimeOffset now, CancellationToken ct)
    {
        if (!await db.StoredFiles.AnyAsync(f => f.Sha256 == sha, ct) && !db.StoredFiles.Local.Any(f => f.Sha256 == sha))
        {
            db.StoredFiles.Add(new StoredFile { Sha256 = sha, ContentType = contentType, Size = size, StoredAt = now });
        }
    }

    /// <summary>Removes a file a save wrote when the save did not commit and nothing else registered the content meanwhile.</summary>
    public static async Task ForgetUnregisteredAsync(IDbContextFactory<AppDbContext> dbFactory, string dataFolder, string sha)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        if (!await db.StoredFiles.AnyAsync(f => f.Sha256 == sha))
        {
            File.Delete(PathFor(dataFolder, sha));
        }
    }
}

/// <summary>A stored file is missing or no longer matches its hash.</summary>
public sealed class ContentFileException(string message, Exception? inner = null) : IOException(message, inner);
