using System.Security.Cryptography;
using System.Text;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Exchange.Outbound;
using ApprovalSystem.Web.Infrastructure;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Exchange.Systems;

/// <summary>API keys for line systems: random, shown once, stored as a SHA-256 hash.</summary>
public static class ApiKeys
{
    public const string Header = "X-Api-Key";

    /// <summary>"ak_" + 40 characters from 30 random bytes (URL-safe Base64).</summary>
    public static string New() => "ak_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(30)).Replace('+', '-').Replace('/', '_');

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key.Trim())));

    public static string Prefix(string key) => key[..Math.Min(10, key.Length)];
}

/// <summary>
/// A registered system as the admin pages and API show it (never the key or its hash). <see cref="WebhookTargets"/> is its webhook
/// allow-list: empty, any public address.
/// </summary>
public sealed record LineSystemDto(int Id, string Code, string Name, string Department, string KeyPrefix, IReadOnlyList<string> AllowedMatters,
    DateTimeOffset CreatedAt,
    DateTimeOffset? KeyRotatedAt, DateTimeOffset? RevokedAt, IReadOnlyList<string> WebhookTargets)
{
    public static LineSystemDto From(LineSystem s) =>
        new(s.Id, s.Code, s.Name, s.Department, s.KeyPrefix, s.AllowedMatterList, s.CreatedAt, s.KeyRotatedAt, s.RevokedAt,
            WebhookAllowList.Split(s.WebhookAllowList));
}

/// <summary>The key in clear, returned exactly once (at registration or rotation).</summary>
public sealed record IssuedKey(LineSystemDto System, string ApiKey);

/// <summary>Registers 注册, rotates and revokes line systems (administrators).</summary>
public static class LineSystems
{
    /// <summary>A system to register; <paramref name="WebhookTargets"/> is its webhook allow-list (see <see cref="WebhookAllowList"/>).</summary>
    public sealed record Command(string Code, string Name, string Department, IReadOnlyList<string>? AllowedMatters,
        IReadOnlyList<string>? WebhookTargets = null);

    /// <summary>A system's new webhook allow-list; empty lets its webhooks go to any public address.</summary>
    public sealed record WebhookTargetsCommand(IReadOnlyList<string>? Targets);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Code).NotEmpty().WithMessage("请填写系统编码").Matches("^[A-Za-z0-9_-]{2,64}$").WithMessage("系统编码只能由字母、数字、-、_ 组成（2–64位）");
            RuleFor(c => c.Name).NotEmpty().WithMessage("请填写系统名称").MaximumLength(200).WithMessage("系统名称不能超过200字");
            RuleFor(c => c.Name).Must(InputRules.NoControlCharacters).WithMessage("系统名称含有不可见的控制字符，请删除后重试");
            RuleFor(c => c.Department).NotEmpty().WithMessage("请选择所属部门").Text(32, "所属部门");
            this.Entries(c => c.AllowedMatters, 80, 40, "允许推送的事项编码");
            RuleFor(c => c.WebhookTargets).Custom((targets, context) =>
            {
                if (AllowListError(targets) is { } error)
                {
                    context.AddFailure(error);
                }
            });
        }

        /// <summary>Why the entries are not a valid allow-list, or null.</summary>
        public static string? AllowListError(IReadOnlyList<string?>? targets)
        {
            if (targets?.Any(t => t is null) == true)
            {
                return "回调白名单中不能有空值";
            }

            return WebhookAllowList.TryParse((targets ?? []).Select(t => t!), out _, out var error) ? null : error;
        }
    }

    public sealed class Handler(IDbContextFactory<AppDbContext> dbFactory, Validator validator, TimeProvider clock)
    {
        public async Task<IssuedKey> RegisterAsync(Command command, CancellationToken ct = default)
        {
            await validator.ValidateAndThrowAsync(command, ct);
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var code = command.Code.Trim();
            if (!await db.Departments.AnyAsync(d => d.Code == command.Department, ct))
            {
                throw new CaseRuleException($"部门“{command.Department}”不存在");
            }

            if (await db.LineSystems.AnyAsync(s => s.Code == code, ct))
            {
                throw new CaseRuleException($"系统编码“{code}”已被使用");
            }

            var matters = (command.AllowedMatters ?? []).Select(m => m.Trim()).Where(m => m.Length > 0).Distinct().ToList();
            var known = await db.Matters.Where(m => matters.Contains(m.Code)).Select(m => m.Code).ToListAsync(ct);
            if (matters.Except(known).FirstOrDefault() is { } unknown)
            {
                throw new CaseRuleException($"事项编码“{unknown}”不存在");
            }

            var key = ApiKeys.New();
            var system = new LineSystem
            {
                Code = code,
                Name = command.Name.Trim(),
                Department = command.Department,
                AllowedMatters = string.Join(',', matters),
                WebhookAllowList = AllowList(command.WebhookTargets),
                KeyHash = ApiKeys.Hash(key),
                KeyPrefix = ApiKeys.Prefix(key),
                CreatedAt = clock.GetUtcNow(),
            };
            db.LineSystems.Add(system);
            await db.SaveChangesAsync(ct);
            return new IssuedKey(LineSystemDto.From(system), key);
        }

        /// <summary>Issues a new key; the old one stops working at once.</summary>
        public async Task<IssuedKey> RotateAsync(int id, CancellationToken ct = default)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var system = await db.LineSystems.FirstOrDefaultAsync(s => s.Id == id, ct) ?? throw new CaseRuleException("系统不存在");
            var key = ApiKeys.New();
            system.KeyHash = ApiKeys.Hash(key);
            system.KeyPrefix = ApiKeys.Prefix(key);
            system.KeyRotatedAt = clock.GetUtcNow();
            system.RevokedAt = null;
            await db.SaveChangesAsync(ct);
            return new IssuedKey(LineSystemDto.From(system), key);
        }

        /// <summary>Sets the system's webhook allow-list; its next deliveries and subscriptions are checked against it.</summary>
        public async Task<LineSystemDto> SetWebhookTargetsAsync(int id, IReadOnlyList<string>? targets, CancellationToken ct = default)
        {
            if (Validator.AllowListError(targets) is { } error)
            {
                throw new ValidationException([new FluentValidation.Results.ValidationFailure("targets", error)]);
            }

            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var system = await db.LineSystems.FirstOrDefaultAsync(s => s.Id == id, ct) ?? throw new Infrastructure.CaseNotFoundException("系统不存在");
            system.WebhookAllowList = AllowList(targets);
            await db.SaveChangesAsync(ct);
            return LineSystemDto.From(system);
        }

        /// <summary>Revokes the key: every call with it is refused until the key is rotated.</summary>
        public async Task<LineSystemDto> RevokeAsync(int id, CancellationToken ct = default)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var system = await db.LineSystems.FirstOrDefaultAsync(s => s.Id == id, ct) ?? throw new CaseRuleException("系统不存在");
            system.RevokedAt ??= clock.GetUtcNow();
            await db.SaveChangesAsync(ct);
            return LineSystemDto.From(system);
        }

        private static string AllowList(IReadOnlyList<string>? targets) =>
            WebhookAllowList.TryParse(targets ?? [], out var list, out _) ? list.Text : throw new InvalidOperationException("validated before");

        public async Task<IReadOnlyList<LineSystemDto>> ListAsync(CancellationToken ct = default)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            return (await db.LineSystems.AsNoTracking().OrderBy(s => s.Department).ThenBy(s => s.Code).ToListAsync(ct)).Select(LineSystemDto.From).ToList();
        }
    }
}
