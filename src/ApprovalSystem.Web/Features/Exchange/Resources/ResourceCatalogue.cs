using System.Text.Json;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Exchange.Resources;

public sealed record ResourceDto(int Id, string Code, string Name, string Provider, string Description, IReadOnlyList<string> Fields);

public sealed record FieldGrantDto(int Id, string Field, string Status, string? DecidedBy, DateTimeOffset? DecidedAt);

public sealed record AccessRequestDto(int Id, int ResourceId, string ResourceName, string Provider, string Consumer, string Purpose, string RequestedBy,
    DateTimeOffset RequestedAt, IReadOnlyList<FieldGrantDto> Fields);

public sealed record ReadLogDto(long Id, string ResourceName, string Consumer, string Reader, string Key, IReadOnlyList<string> Fields, string Purpose,
    DateTimeOffset At);

/// <summary>A record as the consumer may see it: only the fields granted to its department.</summary>
public sealed record SharedRecord(string Resource, string ResourceName, string Provider, string Key, IReadOnlyDictionary<string, string> Fields);

/// <summary>
/// The resource catalogue 资源目录: a department publishes a resource with its fields; another
/// department requests chosen fields with a purpose; the provider grants or refuses each field;
/// the consumer then reads only granted fields, and every read is logged (who, what, when, why).
/// </summary>
public sealed class ResourceCatalogue(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>What a consumer asks for: named fields, and why (both logged; the purpose is shown to the provider).</summary>
    public sealed record AccessInput(IReadOnlyList<string>? Fields, string? Purpose);

    /// <summary>What a read names: the record's key and the purpose logged with it.</summary>
    public sealed record ReadInput(string Key, string? Purpose);

    public sealed class AccessValidator : AbstractValidator<AccessInput>
    {
        public AccessValidator()
        {
            RuleFor(x => x.Fields).NotEmpty().WithMessage("请选择要申请的字段");
            this.Entries(x => x.Fields, 100, 64, "字段名");
            RuleFor(x => x.Purpose).NotEmpty().WithMessage("请说明使用目的").Text(500, "使用目的");
        }
    }

    public sealed class ReadValidator : AbstractValidator<ReadInput>
    {
        public ReadValidator()
        {
            RuleFor(x => x.Key).NotEmpty().WithMessage("请提供记录的键（统一社会信用代码或身份证号码）").Text(64, "记录的键");
            RuleFor(x => x.Purpose).NotEmpty().WithMessage("请说明查询目的 purpose").Text(500, "查询目的");
        }
    }

    private static readonly AccessValidator Access = new();
    private static readonly ReadValidator Read = new();

    public async Task<ResourceDto> PublishAsync(string code, string name, string provider, string description, IReadOnlyList<string> fields,
        CancellationToken ct = default)
    {
        var clean = fields.Select(f => f.Trim()).Where(f => f.Length > 0).Distinct().ToList();
        if (clean.Count == 0 || clean.Any(f => f.Contains('|', StringComparison.Ordinal)))
        {
            throw new CaseRuleException("请至少列出一个字段（第一个字段为查询键），字段名不能含“|”");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var r = await db.ShareResources.FirstOrDefaultAsync(x => x.Code == code, ct);
        if (r is null)
        {
            r = new ShareResource { Code = code };
            db.ShareResources.Add(r);
        }
        else if (r.Provider != provider)
        {
            throw new CaseRuleException($"资源编码“{code}”已由其他部门发布");
        }

        r.Name = name;
        r.Provider = provider;
        r.Description = description;
        r.Fields = string.Join('|', clean);
        await db.SaveChangesAsync(ct);
        return ToDto(r);
    }

    /// <summary>Adds or replaces a record of a resource (the provider's data).</summary>
    public async Task PutRecordAsync(string resourceCode, IReadOnlyDictionary<string, string> fields, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var r = await db.ShareResources.AsNoTracking().FirstOrDefaultAsync(x => x.Code == resourceCode, ct) ?? throw new CaseNotFoundException("资源不存在");
        var key = fields.GetValueOrDefault(r.KeyField) is { Length: > 0 } k ? NormalizeKey(k) : throw new CaseRuleException($"请提供查询键“{r.KeyField}”");
        var data = r.FieldList.Where(fields.ContainsKey).ToDictionary(f => f, f => fields[f]);
        data[r.KeyField] = key;
        var row = await db.ShareRecords.FirstOrDefaultAsync(x => x.ResourceId == r.Id && x.Key == key, ct);
        if (row is null)
        {
            db.ShareRecords.Add(new ShareRecord { ResourceId = r.Id, Key = key, Data = JsonSerializer.Serialize(data, Inbound.PushCaseState.Json) });
        }
        else
        {
            row.Data = JsonSerializer.Serialize(data, Inbound.PushCaseState.Json);
        }

        await db.SaveChangesAsync(ct);
    }

    public async Task<IReadOnlyList<ResourceDto>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await db.ShareResources.AsNoTracking().OrderBy(r => r.Provider).ThenBy(r => r.Code).ToListAsync(ct)).Select(ToDto).ToList();
    }

    /// <summary>A consumer department asks for chosen fields of a resource, saying why.</summary>
    public async Task<AccessRequestDto> RequestAsync(string resourceCode, string consumer, IReadOnlyList<string> fields, string purpose, string requestedBy,
        CancellationToken ct = default)
    {
        await Access.ValidateAndThrowAsync(new AccessInput(fields, purpose), ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var r = await db.ShareResources.AsNoTracking().FirstOrDefaultAsync(x => x.Code == resourceCode, ct) ?? throw new CaseNotFoundException("资源不存在");
        var chosen = fields.Select(f => f.Trim()).Distinct().ToList();
        if (fields.Select((f, i) => (Field: f.Trim(), Index: i)).FirstOrDefault(f => !r.FieldList.Contains(f.Field)) is { Field: not null } unknown)
        {
            throw InputRules.Invalid($"fields[{unknown.Index}]", $"资源“{r.Name}”没有字段“{unknown.Field}”，可申请：{string.Join("、", r.FieldList)}");
        }

        var request = new AccessRequest
        {
            ResourceId = r.Id,
            Consumer = consumer,
            Purpose = purpose.Trim(),
            RequestedBy = requestedBy,
            RequestedAt = clock.GetUtcNow(),
            Fields = chosen.Select(f => new FieldGrant { Field = f, Status = GrantStatus.Requested }).ToList(),
        };
        db.AccessRequests.Add(request);
        await db.SaveChangesAsync(ct);
        return ToDto(request, r);
    }

    /// <summary>The provider grants or refuses each requested field. Only the provider's department may decide.</summary>
    public async Task<AccessRequestDto> DecideAsync(int requestId, IReadOnlyDictionary<string, bool> decisions, string providerDepartment, string decidedBy,
        CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var request = await db.AccessRequests.Include(x => x.Fields).FirstOrDefaultAsync(x => x.Id == requestId, ct)
            ?? throw new CaseNotFoundException("共享申请不存在");
        var r = await db.ShareResources.AsNoTracking().FirstAsync(x => x.Id == request.ResourceId, ct);
        if (r.Provider != providerDepartment)
        {
            throw new CaseRuleException($"只有提供部门（{r.Provider}）可以审批该申请");
        }

        var now = clock.GetUtcNow();
        foreach (var f in request.Fields)
        {
            if (decisions.TryGetValue(f.Field, out var grant))
            {
                f.Status = grant ? GrantStatus.Granted : GrantStatus.Refused;
                f.DecidedAt = now;
                f.DecidedBy = decidedBy;
            }
        }

        await db.SaveChangesAsync(ct);
        return ToDto(request, r);
    }

    public async Task<IReadOnlyList<AccessRequestDto>> RequestsAsync(string? department, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var resources = await db.ShareResources.AsNoTracking().ToDictionaryAsync(r => r.Id, ct);
        var rows = await db.AccessRequests.AsNoTracking().Include(x => x.Fields).OrderByDescending(x => x.Id).Take(500).ToListAsync(ct);
        return rows.Where(x => department is null || x.Consumer == department || resources[x.ResourceId].Provider == department)
            .Select(x => ToDto(x, resources[x.ResourceId])).ToList();
    }

    /// <summary>The fields of a resource currently granted to a consumer department.</summary>
    public static async Task<IReadOnlyList<string>> GrantedFieldsAsync(AppDbContext db, int resourceId, string consumer, CancellationToken ct) =>
        await db.FieldGrants.AsNoTracking()
            .Where(f => f.Status == GrantStatus.Granted
                && db.AccessRequests.Any(a => a.Id == f.AccessRequestId && a.ResourceId == resourceId && a.Consumer == consumer))
            .Select(f => f.Field).Distinct().ToListAsync(ct);

    /// <summary>
    /// Reads a record for a consumer: only granted fields are returned and logged. A consumer with no
    /// granted field gets nothing, and no record is looked up. Returns null when there is no such record.
    /// </summary>
    public async Task<SharedRecord?> QueryAsync(string resourceCode, string key, string consumer, string reader, string purpose, CancellationToken ct = default)
    {
        await Read.ValidateAndThrowAsync(new ReadInput(key, purpose), ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var r = await db.ShareResources.AsNoTracking().FirstOrDefaultAsync(x => x.Code == resourceCode, ct) ?? throw new CaseNotFoundException("资源不存在");
        var granted = await GrantedFieldsAsync(db, r.Id, consumer, ct);
        if (granted.Count == 0)
        {
            throw new ResourceAccessDeniedException($"本部门未获授权查询“{r.Name}”");
        }

        var normalized = NormalizeKey(key);
        var row = await db.ShareRecords.AsNoTracking().FirstOrDefaultAsync(x => x.ResourceId == r.Id && x.Key == normalized, ct);
        var data = row is null ? [] : JsonSerializer.Deserialize<Dictionary<string, string>>(row.Data, Inbound.PushCaseState.Json) ?? [];
        var visible = r.FieldList.Where(f => granted.Contains(f) && data.ContainsKey(f)).ToDictionary(f => f, f => data[f]);
        db.ResourceReadLog.Add(new ResourceReadLog
        {
            ResourceId = r.Id,
            Consumer = consumer,
            Reader = reader,
            Key = MaskKey(normalized),
            Fields = row is null ? "" : string.Join('|', visible.Keys),
            Purpose = purpose.Trim(),
            At = clock.GetUtcNow(),
        });
        await db.SaveChangesAsync(ct);
        return row is null ? null : new SharedRecord(r.Code, r.Name, r.Provider, normalized, visible);
    }

    /// <summary>The read log, for the provider (its resources), the consumer (its reads) or supervisors (all: department null),
    /// newest first, a page at a time with the exact total; <paramref name="key"/> narrows it to the reads of one record
    /// (the whole key, as typed: matched in its stored, masked form).</summary>
    public async Task<Cases.Queries.CaseQueries.Page<ReadLogDto>> ReadLogAsync(string? department, string? key, int skip, int take,
        CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var resources = await db.ShareResources.AsNoTracking().ToDictionaryAsync(r => r.Id, ct);
        var mine = department is null ? null : resources.Values.Where(r => r.Provider == department).Select(r => r.Id).ToList();
        var query = db.ResourceReadLog.AsNoTracking().Where(l => department == null || l.Consumer == department || mine!.Contains(l.ResourceId));
        if (key?.Trim() is { Length: > 0 } k)
        {
            var masked = MaskKey(NormalizeKey(k));
            query = query.Where(l => l.Key == masked);
        }

        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(l => l.Id).Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, ExchangeQueries.MaxPage)).ToListAsync(ct);
        return new(rows.Select(l =>
            new ReadLogDto(l.Id, resources[l.ResourceId].Name, l.Consumer, l.Reader, l.Key, l.Fields.Split('|', StringSplitOptions.RemoveEmptyEntries),
            l.Purpose, l.At)).ToList(), total);
    }

    public static string NormalizeKey(string key) => key.Trim().ToUpperInvariant();

    private static string MaskKey(string key) => key.Length == 18 ? Masking.IdNumber(key) : key.Length > 6 ? key[..3] + new string('*', key.Length - 6)
        + key[^3..] : "***";

    private static ResourceDto ToDto(ShareResource r) => new(r.Id, r.Code, r.Name, r.Provider, r.Description, r.FieldList);

    private static AccessRequestDto ToDto(AccessRequest x, ShareResource r) =>
        new(x.Id, r.Id, r.Name, r.Provider, x.Consumer, x.Purpose, x.RequestedBy, x.RequestedAt,
        x.Fields.OrderBy(f => f.Id).Select(f => new FieldGrantDto(f.Id, f.Field, f.Status.ToString(), f.DecidedBy, f.DecidedAt)).ToList());
}

/// <summary>The consumer has no granted field of the resource.</summary>
public sealed class ResourceAccessDeniedException(string message) : Exception(message);
