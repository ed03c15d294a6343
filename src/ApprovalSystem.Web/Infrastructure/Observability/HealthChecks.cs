using System.Text.Json;
using ApprovalSystem.Web.Documents;
using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ApprovalSystem.Web.Infrastructure.Observability;

/// <summary>
/// Hangfire: its storage answers, and when this node runs a Hangfire server (<c>Hangfire:Server</c>), a server has sent a
/// heartbeat recently. Storage unreachable or no live server: Unhealthy (supervision scans and deliveries would stop).
/// </summary>
public sealed class HangfireHealthCheck(JobStorage storage, IConfiguration configuration, TimeProvider clock) : IHealthCheck
{
    /// <summary>Hangfire's own default: a server silent for longer is considered dead and removed.</summary>
    private static readonly TimeSpan HeartbeatTimeout = TimeSpan.FromMinutes(5);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var servers = storage.GetMonitoringApi().Servers();
            if (!configuration.GetValue("Hangfire:Server", true))
            {
                return Task.FromResult(HealthCheckResult.Healthy("后台任务存储可用（本节点不运行后台任务服务）"));
            }

            // Hangfire stamps heartbeats in UTC (DateTime); the app's clock is the system's outside tests.
            var now = clock.GetUtcNow().UtcDateTime;
            var live = servers.Count(s => s.Heartbeat is { } beat && now - beat < HeartbeatTimeout);
            return Task.FromResult(live > 0
                ? HealthCheckResult.Healthy($"后台任务服务运行中（{live} 个）")
                : new HealthCheckResult(context.Registration.FailureStatus, "没有运行中的后台任务服务（心跳超时或未启动）"));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Task.FromResult(new HealthCheckResult(context.Registration.FailureStatus, "后台任务存储无法访问", e));
        }
    }
}

/// <summary>
/// The CJK font documents are printed with (<see cref="CjkFont"/>): the first configured or system font that opens as a
/// TrueType face. None: Unhealthy (no notice or certificate can be printed). A configured font missing while a system font
/// serves: Degraded (documents print, in another face than the centre chose).
/// </summary>
public sealed class FontHealthCheck : IHealthCheck
{
    private readonly IReadOnlyList<string> _configured;
    private readonly IReadOnlyList<string> _system;
    private string? _lastGood;

    public FontHealthCheck(IConfiguration configuration)
        : this(DocumentRenderer.ConfiguredFonts(configuration), CjkFont.Candidates)
    {
    }

    internal FontHealthCheck(IReadOnlyList<string> configured, IReadOnlyList<string> system)
    {
        _configured = configured;
        _system = system;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var missingConfigured = _configured.Where(p => !File.Exists(p)).ToList();
        string? found = null;
        if (_lastGood is { } last && File.Exists(last))
        {
            found = last; // opened before: a health probe every few seconds need not read the character map again
        }
        else
        {
            found = _configured.Concat(_system).FirstOrDefault(p => File.Exists(p) && FontFace.Open(p).Face is not null);
            _lastGood = found;
        }

        if (found is null)
        {
            return Task.FromResult(new HealthCheckResult(context.Registration.FailureStatus, "未找到可用的中文字体，无法打印文书"));
        }

        return Task.FromResult(missingConfigured.Count > 0
            ? HealthCheckResult.Degraded($"配置的字体文件不存在，改用 {Path.GetFileName(found)}")
            : HealthCheckResult.Healthy($"文书字体：{Path.GetFileName(found)}"));
    }
}

/// <summary>The operators' health answer (/health/details): every entry with its status and description, as JSON.</summary>
public static class HealthReportWriter
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            durationMs = Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            entries = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                durationMs = Math.Round(e.Value.Duration.TotalMilliseconds, 1),
            }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, Options));
    }

    private static readonly JsonSerializerOptions Options = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
        WriteIndented = true,
    };
}
