using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace ApprovalSystem.Web.Infrastructure.Http;

/// <summary>
/// Every answer under <c>/api</c> that is an error carries problem details in Chinese, never the
/// site's HTML error pages: a request the endpoint could not even bind (a missing query parameter,
/// a body that is not JSON, a number that is not a number, a query value with a control character) says which parameter and
/// what is wrong;
/// an error status with no body (an unknown address, a wrong method) gets a title; and outside
/// Development an unexpected failure is a 500 with the trace id to quote, while it is logged.
/// </summary>
public static partial class ApiProblems
{
    /// <summary>Binding failures throw, so they reach <see cref="UseApiProblems"/> with what went wrong.</summary>
    public static IServiceCollection AddApiProblems(this IServiceCollection services) =>
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

    /// <summary>Place after the status-code pages: it turns them off for <c>/api</c> and answers instead.</summary>
    public static IApplicationBuilder UseApiProblems(this WebApplication app)
    {
        var development = app.Environment.IsDevelopment();
        return app.Use(async (context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments("/api"))
            {
                await next(context);
                return;
            }

            if (context.Features.Get<IStatusCodePagesFeature>() is { } pages)
            {
                pages.Enabled = false;
            }

            // No search word or code holds a control character, and PostgreSQL refuses a NUL in any text: refused at the door.
            if (context.Request.Query.FirstOrDefault(q => !InputRules.NoControlCharacters(q.Key) || q.Value.Any(v => !InputRules.NoControlCharacters(v)))
                is { Key: { } name })
            {
                await WriteAsync(context, StatusCodes.Status400BadRequest, "请求有误", $"查询参数 {Printable(name)} 含有不可见的控制字符，请删除后重试。");
                return;
            }

            try
            {
                await next(context);
            }
            catch (BadHttpRequestException e) when (!context.Response.HasStarted)
            {
                await WriteAsync(context, e.StatusCode, "请求有误", Explain(e));
                return;
            }
            catch (Exception e) when (!development && !context.Response.HasStarted && e is not OperationCanceledException)
            {
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ApiProblems))
                    .LogError(e, "Unhandled error in {Path}", context.Request.Path);
                await WriteAsync(context, StatusCodes.Status500InternalServerError, "服务器内部错误",
                    $"请求未能完成，已记录。请稍后重试；如仍失败，请将追踪号 {context.TraceIdentifier} 告知系统管理员。");
                return;
            }

            if (context.Response is { HasStarted: false, StatusCode: >= 400 and < 600, ContentLength: null, ContentType: null })
            {
                var (title, detail) = context.Response.StatusCode switch
                {
                    404 => ("接口或资源不存在", $"没有找到 {context.Request.Method} {context.Request.Path} 对应的接口或资源，请核对地址（接口文档见 /openapi/v1.json）。"),
                    405 => ("不支持的请求方法", $"{context.Request.Path} 不接受 {context.Request.Method} 请求，请核对接口文档（/openapi/v1.json）。"),
                    413 => ("请求内容过大", "上传的内容超过了允许的大小。"),
                    415 => ("不支持的内容类型", "请以 application/json 提交请求正文（上传文件用 multipart/form-data）。"),
                    429 => ("请求过于频繁", "请稍后再试。"),
                    var s when s >= 500 => ("服务器内部错误", $"请求未能完成。请稍后重试；如仍失败，请将追踪号 {context.TraceIdentifier} 告知系统管理员。"),
                    _ => ("请求未能处理", "请核对请求的地址、参数和内容。"),
                };
                await WriteAsync(context, context.Response.StatusCode, title, detail);
            }
        });
    }

    /// <summary>What a binding failure means, in words the caller can act on.</summary>
    internal static string Explain(BadHttpRequestException e)
    {
        var message = e.Message;
        if (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return "请求内容过大：上传的文件不能超过20 MB。";
        }

        if (MissingParameter().Match(message) is { Success: true } missing)
        {
            return $"缺少必填参数 {missing.Groups["name"].Value}（{Source(missing.Groups["source"].Value)}）。";
        }

        if (BadValue().Match(message) is { Success: true } bad)
        {
            return $"参数 {bad.Groups["name"].Value} 的值“{bad.Groups["value"].Value}”格式不正确。";
        }

        if (message.Contains("as JSON", StringComparison.Ordinal) || e.InnerException is System.Text.Json.JsonException)
        {
            return "请求正文不是有效的 JSON，或其中字段的类型不对（例如数字写成了文字）。" + (e.InnerException?.Message is { } inner ? $"位置：{JsonPath(inner)}" : "");
        }

        if (message.Contains("body was not provided", StringComparison.Ordinal) || message.Contains("Implicit body inferred", StringComparison.Ordinal))
        {
            return "缺少请求正文：请以 application/json 提交。";
        }

        if (message.Contains("Content-Type", StringComparison.OrdinalIgnoreCase))
        {
            return "请求的内容类型不对：请以 application/json 提交请求正文（上传文件用 multipart/form-data）。";
        }

        return "请求格式不正确，请核对参数和请求正文（接口文档见 /openapi/v1.json）。";
    }

    private static string Printable(string name) => new(name.Where(c => !char.IsControl(c)).Take(40).ToArray());

    private static string Source(string source) => source switch
    {
        "query string" => "查询字符串",
        "route" => "地址",
        "header" => "请求头",
        "form" => "表单",
        _ => source,
    };

    /// <summary>The JSON path System.Text.Json names in its message ("Path: $.fee | LineNumber: 0…").</summary>
    private static string JsonPath(string message) => JsonPathPattern().Match(message) is { Success: true } m ? m.Groups["path"].Value : "未知";

    /// <summary>Answers a problem detail (RFC 9457) with the trace id: every hand-made API error goes through here.</summary>
    public static Task WriteAsync(HttpContext context, int status, string title, string detail, TimeSpan? retryAfter = null)
    {
        context.Response.Clear();
        context.Response.StatusCode = status;
        if (retryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = RetryAfterSeconds(wait).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var json = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        return context.Response.WriteAsJsonAsync(
            new Microsoft.AspNetCore.Mvc.ProblemDetails { Title = title, Status = status, Detail = detail,
                Extensions = { ["traceId"] = context.TraceIdentifier } },
            json,
            "application/problem+json");
    }

    /// <summary>Whole seconds for a Retry-After header: rounded up, at least one.</summary>
    public static int RetryAfterSeconds(TimeSpan wait) => (int)Math.Ceiling(Math.Max(1, wait.TotalSeconds));

    [GeneratedRegex("""Required parameter "(?<type>[^"\s]+) (?<name>[^"\s]+)" was not provided from (?<source>[a-z ]+)\.""")]
    private static partial Regex MissingParameter();

    [GeneratedRegex("""Failed to bind parameter "(?<type>[^"\s]+) (?<name>[^"\s]+)" from "(?<value>[^"]*)"\.""")]
    private static partial Regex BadValue();

    [GeneratedRegex("""Path: (?<path>\S+)""")]
    private static partial Regex JsonPathPattern();
}
