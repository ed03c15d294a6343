using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Account.Certificates;

/// <summary>An account's own bound certificates (我的数字证书): listed and removed by the account's holder.</summary>
public static class CertificateBindings
{
    public sealed record Row(long Id, string Subject, string Issuer, string SerialNumber, DateTimeOffset NotBefore, DateTimeOffset NotAfter,
        DateTimeOffset BoundAt, DateTimeOffset? LastUsedAt);

    public sealed class Handler(AppDbContext db, ILoggerFactory loggers)
    {
        private readonly ILogger _log = loggers.CreateLogger(SecurityLog.Category);

        public async Task<List<Row>> ListAsync(string userId, CancellationToken cancellationToken = default)
        {
            var rows = await db.CertificateBindings.AsNoTracking().Where(b => b.UserId == userId)
                .Select(b => new Row(b.Id, b.Subject, b.Issuer, b.SerialNumber, b.NotBefore, b.NotAfter, b.BoundAt, b.LastUsedAt))
                .ToListAsync(cancellationToken);
            return [.. rows.OrderBy(r => r.BoundAt)];
        }

        /// <summary>Removes one of <paramref name="userId"/>'s bindings; false when it is not theirs (or gone already).</summary>
        public async Task<bool> RemoveAsync(string userId, string userName, long id, string address, CancellationToken cancellationToken = default)
        {
            var binding = await db.CertificateBindings.FirstOrDefaultAsync(b => b.Id == id && b.UserId == userId, cancellationToken);
            if (binding is null)
            {
                return false;
            }

            db.CertificateBindings.Remove(binding);
            await db.SaveChangesAsync(cancellationToken);
            SecurityLog.CertificateUnbound(_log, userName, address, binding.Thumbprint[..16]);
            return true;
        }
    }
}
