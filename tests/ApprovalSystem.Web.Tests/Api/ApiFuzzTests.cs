using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Features.Exchange.Outbound;
using ApprovalSystem.Web.Features.Exchange.Systems;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace ApprovalSystem.Web.Tests.Api;

/// <summary>
/// Reads the OpenAPI document the app serves and sends every operation malformed input — nulls at every property and inside
/// every array, wrong types, empty and huge bodies, deep nesting, very long strings, extreme dates and numbers, bad route and
/// query values — signed in as a user (or line system) the operation lets in, so the input reaches its handler. No answer may be
/// a server error. Deterministic: the inputs derive from the document, in its order, with no randomness.
/// </summary>
public sealed partial class ApiFuzzTests(ApiFuzzTests.FuzzFactory factory, ITestOutputHelper output) : IClassFixture<ApiFuzzTests.FuzzFactory>
{
    /// <summary>The app with the exchange's rate limit out of the way: a fuzz run sends thousands of requests a minute.</summary>
    public sealed class FuzzFactory : AppFactory
    {
        protected override bool FromTemplate => true; // settings of its own, the same first start

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Exchange:RateLimit:PermitsPerMinute", "1000000");
        }
    }

    private const string Matter = "330799-SCJG-011"; // a promised matter whose first step is SCJG's (the officer the fuzz acts as)
    private const string CreditCode = "91330799MA2K3L4N5T";
    private const string LongText = "长";

    private readonly Dictionary<string, HttpClient> _sessions = [];
    private readonly List<string> _failures = [];
    private int _sent;
    private int _eventSeq;

    [Fact]
    public async Task EveryOperation_WithMalformedInput_NeverAnswersAServerError()
    {
        var clock = Stopwatch.StartNew();
        var doc = JsonDocument.Parse(await factory.CreateClient().GetStringAsync("/openapi/v1.json")).RootElement;
        output.WriteLine($"document: {clock.Elapsed.TotalSeconds:F1} s");
        var context = await ContextAsync();
        output.WriteLine($"context: {clock.Elapsed.TotalSeconds:F1} s");
        var operations = Operations(doc).ToList();
        Assert.True(operations.Count >= 40, $"only {operations.Count} operations in the OpenAPI document");
        var unreached = new List<string>();

        foreach (var op in operations)
        {
            var (opStart, sentBefore) = (clock.Elapsed, _sent);
            var client = await ClientForAsync(op, context);
            var route = await RouteValuesAsync(op, context);
            var sample = op.BodyKind == BodyKind.Json ? Sample(doc, op.Body!.Value, null) : null;
            var reached = 0;

            // Bad values in the route, the query string and headers, one parameter at a time.
            foreach (var p in op.Parameters)
            {
                // (A NUL in the path never reaches an app: servers refuse it, and the test server throws.)
                foreach (var bad in BadValues(p).Where(v => p.In != "path" || v?.Contains('\0', StringComparison.Ordinal) != true))
                {
                    var values = new Dictionary<string, string?>(route) { [p.Name] = bad };
                    reached += Reached(await SendAsync(client, op, values, Body(op, NumberEvents(sample?.DeepClone())), $"{p.In} {p.Name}={Short(bad)}"));
                }
            }

            // Malformed bodies: for operations without a declared body too (a body-less act must ignore or refuse one).
            foreach (var (label, content) in op.Method == "GET" ? [] : RawBodies())
            {
                reached += Reached(await SendAsync(client, op, route, content(), label));
            }

            if (op.BodyKind == BodyKind.Json)
            {
                foreach (var (label, body) in Mutations(doc, op.Body!.Value, sample))
                {
                    reached += Reached(await SendAsync(client, op, route, Json(NumberEvents(body)), label));
                }
            }
            else if (op.BodyKind == BodyKind.Multipart)
            {
                foreach (var (label, content) in MultipartBodies())
                {
                    reached += Reached(await SendAsync(client, op, route, content(), label));
                }
            }

            output.WriteLine($"{op.Method} {op.Path}: {_sent - sentBefore} requests, {(clock.Elapsed - opStart).TotalSeconds:F1} s");
            if (op.BodyKind != BodyKind.None && reached == 0)
            {
                unreached.Add($"{op.Method} {op.Path}");
            }
        }

        output.WriteLine($"{operations.Count} operations, {_sent} requests, {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(_failures.Count == 0, $"{_failures.Count} server errors of {_sent} requests:\n" + string.Join("\n", _failures.Take(200)));

        // Every operation that takes a body must have processed some of the input (else the fuzz proves nothing about it):
        // an answer of its handler (2xx, 404, 409, 422) rather than only the doorway's (400, 401, 403, 415).
        Assert.True(unreached.Count == 0, "input never reached: " + string.Join(", ", unreached));
    }

    private static int Reached(HttpStatusCode? status) => status is { } s && ((int)s is >= 200 and < 300 or 404 or 409 or 422) ? 1 : 0;

    // ---- The operations and who may call them ----

    private enum BodyKind
    {
        None,
        Json,
        Multipart,
    }

    private sealed record Parameter(string Name, string In, JsonElement Schema, bool Required);

    private sealed record Operation(string Method, string Path, IReadOnlyList<Parameter> Parameters, BodyKind BodyKind, JsonElement? Body, bool ApiKey);

    private static IEnumerable<Operation> Operations(JsonElement doc)
    {
        foreach (var path in doc.GetProperty("paths").EnumerateObject())
        {
            foreach (var op in path.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "patch" or "delete"))
            {
                var parameters = op.Value.TryGetProperty("parameters", out var ps)
                    ? ps.EnumerateArray().Select(p => new Parameter(p.GetProperty("name").GetString()!, p.GetProperty("in").GetString()!,
                        p.TryGetProperty("schema", out var s) ? s : default, p.TryGetProperty("required", out var r) && r.GetBoolean())).ToList()
                    : [];
                var kind = BodyKind.None;
                JsonElement? body = null;
                if (op.Value.TryGetProperty("requestBody", out var rb))
                {
                    var content = rb.GetProperty("content");
                    if (content.TryGetProperty("application/json", out var json))
                    {
                        (kind, body) = (BodyKind.Json, json.GetProperty("schema"));
                    }
                    else if (content.TryGetProperty("multipart/form-data", out var form))
                    {
                        (kind, body) = (BodyKind.Multipart, form.GetProperty("schema"));
                    }
                }

                var apiKey = op.Value.TryGetProperty("security", out var sec) && sec.GetRawText().Contains("LineSystemApiKey", StringComparison.Ordinal);
                yield return new Operation(op.Name.ToUpperInvariant(), path.Name, parameters, kind, body, apiKey);
            }
        }
    }

    /// <summary>The line system's key, a second system to rotate and revoke, a resource, and the open task of each operation's case.</summary>
    private sealed record Context(string ApiKey, int VictimSystemId, string ResourceCode, Dictionary<string, string> WorkItems);

    private async Task<Context> ContextAsync()
    {
        var systems = factory.Get<LineSystems.Handler>();
        var system = await systems.RegisterAsync(new LineSystems.Command("FUZZ-" + Guid.NewGuid().ToString("N")[..6], "模糊测试系统", "SCJG", null));
        var victim = await systems.RegisterAsync(new LineSystems.Command("FUZZ-V-" + Guid.NewGuid().ToString("N")[..6], "被吊销的系统", "SCJG", null));
        await using var db = factory.CreateDbContext();
        var resource = await db.ShareResources.AsNoTracking().OrderBy(r => r.Code).FirstAsync();
        var officer = await db.Users.AsNoTracking().Where(u => u.UserName == "officer2.scjg").Select(u => u.Id).SingleAsync();
        _known = KnownValues(await TestForms.RequiredAsync(factory, Matter), officer, resource.FieldList[1]);
        return new Context(system.ApiKey, victim.System.Id, resource.Code, []);
    }

    /// <summary>A line system's key for its operations; otherwise a demo account with a role the endpoint's policies allow.</summary>
    private async Task<HttpClient> ClientForAsync(Operation op, Context context)
    {
        if (op.ApiKey)
        {
            return await SessionAsync("apikey", async () =>
            {
                var client = factory.CreateClient();
                client.DefaultRequestHeaders.Add(ApiKeys.Header, context.ApiKey);
                return await Task.FromResult(client);
            });
        }

        var roles = RolesFor(op);
        var account = ActorHint(op.Path) is { } hint && (roles is null || roles.Contains(RoleOf(hint))) ? hint
            : roles is null ? "clerk"
            : roles.Select(AccountOf).First();
        return await SessionAsync(account, async () => (await ApiSession.SignInAsync(factory, account)).Client);
    }

    private async Task<HttpClient> SessionAsync(string key, Func<Task<HttpClient>> create)
    {
        if (!_sessions.TryGetValue(key, out var client))
        {
            client = await create();
            client.DefaultRequestHeaders.Add("X-Requested-With", "XMLHttpRequest");
            _sessions[key] = client;
        }

        return client;
    }

    /// <summary>Which account acts where the policy lets in anyone signed in: the one whose act it is, so the input goes deeper.</summary>
    private static string? ActorHint(string path) => path switch
    {
        _ when path.EndsWith("/submit", StringComparison.Ordinal) || path.EndsWith("/materials", StringComparison.Ordinal)
            || path.EndsWith("/withdraw", StringComparison.Ordinal) || path.EndsWith("/resubmit", StringComparison.Ordinal) => "citizen",
        _ when path.EndsWith("/assign", StringComparison.Ordinal) || path.EndsWith("/extension/answer", StringComparison.Ordinal) => "head.scjg",
        _ when path.Contains("/tasks/", StringComparison.Ordinal) || path.Contains("/special-procedure", StringComparison.Ordinal)
            || path.EndsWith("/extension", StringComparison.Ordinal) => "officer.scjg",
        _ when path.StartsWith("/api/certificates/", StringComparison.Ordinal) => "admin",
        _ => null,
    };

    private static string AccountOf(string role) => role switch
    {
        Roles.Applicant => "citizen",
        Roles.Agent => "agent",
        Roles.Clerk => "clerk",
        Roles.Officer => "officer.scjg",
        Roles.DepartmentHead => "head.scjg",
        Roles.Supervisor => "supervisor",
        _ => "admin",
    };

    private static string RoleOf(string account) => account switch
    {
        "citizen" => Roles.Applicant,
        "agent" => Roles.Agent,
        "clerk" => Roles.Clerk,
        "officer.scjg" => Roles.Officer,
        "head.scjg" => Roles.DepartmentHead,
        "supervisor" => Roles.Supervisor,
        _ => Roles.Administrator,
    };

    /// <summary>The roles every authorization policy on the endpoint allows (null: any signed-in user).</summary>
    private HashSet<string>? RolesFor(Operation op)
    {
        var endpoint = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().FirstOrDefault(e =>
            Normalize(e.RoutePattern.RawText) == op.Path
            && e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains(op.Method) == true);
        HashSet<string>? roles = null;
        foreach (var policy in endpoint?.Metadata.GetOrderedMetadata<AuthorizationPolicy>() ?? [])
        {
            foreach (var requirement in policy.Requirements.OfType<RolesAuthorizationRequirement>())
            {
                roles = roles is null ? [.. requirement.AllowedRoles] : [.. roles.Intersect(requirement.AllowedRoles)];
            }
        }

        return roles;
    }

    private static string Normalize(string? pattern) => "/" + RouteParameter().Replace(pattern ?? "", "{$1}").Trim('/');

    /// <summary>Good route values: a real case (fresh for each operation, in the state its act needs) and its open task.</summary>
    private async Task<Dictionary<string, string?>> RouteValuesAsync(Operation op, Context context)
    {
        var values = new Dictionary<string, string?>();
        foreach (var p in op.Parameters.Where(p => p.In == "path"))
        {
            values[p.Name] = (p.Name, op.Path) switch
            {
                ("id", var path) when path.StartsWith("/api/cases/", StringComparison.Ordinal) => (await CaseForAsync(op, context)).ToString(),
                ("id", var path) when path.StartsWith("/api/exchange/admin/systems/", StringComparison.Ordinal) => context.VictimSystemId.ToString(),
                ("id", _) => "1",
                ("workItemId", _) => context.WorkItems[op.Method + op.Path],
                ("sha", _) => new string('0', 64),
                ("kind", _) => "receipt",
                ("code", var path) when path.StartsWith("/api/exchange/resources", StringComparison.Ordinal) => context.ResourceCode,
                ("code", _) => Matter,
                ("key", _) => CreditCode,
                _ => "1",
            };
        }

        foreach (var p in op.Parameters.Where(p => p.In != "path" && p.Required))
        {
            values[p.Name] = GoodValue(p);
        }

        return values;
    }

    private async Task<long> CaseForAsync(Operation op, Context context)
    {
        var window = new[] { "/review", "/accept", "/refuse", "/supplement", "/withdraw", "/submit", "/materials" }
            .Any(s => op.Path.EndsWith(s, StringComparison.Ordinal));
        var citizen = await SessionAsync("citizen", async () => (await ApiSession.SignInAsync(factory, "citizen")).Client);
        var clerk = await SessionAsync("clerk", async () => (await ApiSession.SignInAsync(factory, "clerk")).Client);
        var form = await TestForms.RequiredAsync(factory, Matter);
        var filed = await OkAsync(await citizen.PostAsJsonAsync("/api/cases", new { matterCode = Matter, submit = !op.Path.EndsWith("/submit", StringComparison.Ordinal), formData = form }));
        var id = filed.GetProperty("id").GetInt64();
        var item = "x";
        if (!window)
        {
            var accepted = await OkAsync(await clerk.PostAsJsonAsync($"/api/cases/{id}/accept", new { }));
            item = accepted.GetProperty("steps").EnumerateArray().First(s => s.GetProperty("open").GetBoolean()).GetProperty("workItemId").GetString()!;
        }

        context.WorkItems[op.Method + op.Path] = item;
        return id;
    }

    private static async Task<JsonElement> OkAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    // ---- Sending ----

    private async Task<HttpStatusCode?> SendAsync(HttpClient client, Operation op, Dictionary<string, string?> values, HttpContent? content, string label)
    {
        var path = RouteParameter().Replace(op.Path, m => Uri.EscapeDataString(values.GetValueOrDefault(m.Groups[1].Value) ?? ""));
        var query = string.Join("&", op.Parameters.Where(p => p.In == "query" && values.GetValueOrDefault(p.Name) is not null)
            .Select(p => $"{Uri.EscapeDataString(p.Name)}={Uri.EscapeDataString(values[p.Name]!)}"));
        var url = query.Length > 0 ? $"{path}?{query}" : path;
        using var request = new HttpRequestMessage(new HttpMethod(op.Method), url) { Content = op.Method == "GET" ? null : content };
        foreach (var p in op.Parameters.Where(p => p.In == "header" && values.GetValueOrDefault(p.Name) is not null))
        {
            request.Headers.TryAddWithoutValidation(p.Name, values[p.Name]);
        }

        _sent++;
        try
        {
            using var response = await client.SendAsync(request);
            if ((int)response.StatusCode >= 500)
            {
                var text = await response.Content.ReadAsStringAsync();
                _failures.Add($"{op.Method} {Short(url, 120)} [{label}] → {(int)response.StatusCode} {Short(text.Split('\n')[0], 300)}");
            }

            if (label == "sample")
            {
                output.WriteLine($"{op.Method} {op.Path} sample → {(int)response.StatusCode} {Short(await response.Content.ReadAsStringAsync(), 400)}");
            }

            return response.StatusCode;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _failures.Add($"{op.Method} {Short(url, 120)} [{label}] → threw {e.GetType().Name}: {Short(e.Message, 300)}");
            return null;
        }
    }

    private static string Short(string? text, int max = 40) => text is null ? "null" : text.Length <= max ? text : text[..max] + $"…({text.Length})";

    private static StringContent Json(JsonNode? body) => new(body?.ToJsonString() ?? "null", Encoding.UTF8, "application/json");

    private static HttpContent? Body(Operation op, JsonNode? sample) => op.BodyKind switch
    {
        BodyKind.Json => Json(sample),
        BodyKind.Multipart => MultipartBodies().First().Content(),
        _ => null,
    };

    /// <summary>Pushes are idempotent by event id: each gets its own, so each is processed rather than answered as a duplicate.</summary>
    private JsonNode? NumberEvents(JsonNode? body)
    {
        if (body is JsonObject o && o["eventId"] is JsonValue v && v.TryGetValue<string>(out var s) && s == "fuzz-event")
        {
            o["eventId"] = $"fuzz-{++_eventSeq:D5}";
            if (o["caseId"] is JsonValue c && c.TryGetValue<string>(out var caseId) && caseId == "fuzz-case")
            {
                o["caseId"] = $"YW-{_eventSeq:D5}";
            }
        }

        return body;
    }

    // ---- Inputs ----

    private static IEnumerable<(string Label, Func<HttpContent> Content)> RawBodies()
    {
        static StringContent Text(string s, string type = "application/json") => new(s, Encoding.UTF8, type);
        yield return ("empty body", () => Text(""));
        yield return ("null", () => Text("null"));
        yield return ("[]", () => Text("[]"));
        yield return ("{}", () => Text("{}"));
        yield return ("number", () => Text("12345"));
        yield return ("truncated", () => Text("{\"a\":"));
        yield return ("not json", () => Text("{matterCode: 330799"));
        yield return ("deeply nested arrays", () => Text(new string('[', 5000) + new string(']', 5000)));
        yield return ("deeply nested objects", () => Text(string.Concat(Enumerable.Repeat("{\"a\":", 2000)) + "1" + new string('}', 2000)));
        yield return ("huge", () => Text("{\"x\":\"" + new string('x', 4 * 1024 * 1024) + "\"}"));
        yield return ("text/plain", () => Text("{}", "text/plain"));
        yield return ("form-urlencoded", () => new FormUrlEncodedContent(new Dictionary<string, string> { ["a"] = "b" }));
        yield return ("invalid UTF-8", () => new ByteArrayContent([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } });
    }

    private static IEnumerable<(string Label, Func<HttpContent> Content)> MultipartBodies()
    {
        static MultipartFormDataContent Form(string? material, byte[]? file, string fileName = "a.pdf")
        {
            var form = new MultipartFormDataContent();
            if (material is not null)
            {
                form.Add(new StringContent(material), "material");
            }

            if (file is not null)
            {
                var part = new ByteArrayContent(file);
                part.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
                form.Add(part, "file", fileName);
            }

            return form;
        }

        var pdf = "%PDF-1.4\n%%EOF\n"u8.ToArray();
        yield return ("multipart", () => Form("营业执照", pdf));
        yield return ("multipart without file", () => Form("营业执照", null));
        yield return ("multipart without material", () => Form(null, pdf));
        yield return ("multipart empty material", () => Form("", pdf));
        yield return ("multipart long material", () => Form(new string('长', 5000), pdf));
        yield return ("multipart empty file", () => Form("营业执照", []));
        yield return ("multipart traversal name", () => Form("营业执照", pdf, "../../../etc/passwd.pdf"));
        yield return ("multipart long name", () => Form("营业执照", pdf, new string('长', 2000) + ".pdf"));
        yield return ("multipart empty", () => new MultipartFormDataContent());
    }

    private static IEnumerable<string?> BadValues(Parameter p)
    {
        var (type, format) = TypeOf(p.Schema);
        IEnumerable<string?> common = [null, "", new string('9', 400), "abc", "-1", "\u0000", new string('长', 2000), "../../etc/passwd"];
        IEnumerable<string?> specific = (type, format) switch
        {
            ("integer", _) => ["0", "2147483648", "-2147483649", "9223372036854775807", "-9223372036854775809", "1e9", "1.5"],
            ("number", _) => ["1e308", "-1e308", "NaN", "79228162514264337593543950336"],
            ("string", "date-time") => ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59.9999999Z", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "0001-01-01"],
            ("string", "date") => ["0001-01-01", "9999-12-31", "2026-02-30"],
            ("boolean", _) => ["maybe", "2"],
            _ => [],
        };
        return p.In == "header" ? common.Concat(specific).Where(v => v is null || v.All(c => c is >= ' ' and <= '~')) : common.Concat(specific);
    }

    private static string GoodValue(Parameter p) => p.Name switch
    {
        "number" => "330799-20261102-0001",
        "code" => "123456",
        "idType" => "CreditCode",
        "idNumber" => CreditCode,
        "year" => "2026",
        _ => TypeOf(p.Schema) switch
        {
            ("integer", _) => "1",
            ("string", "date-time") => "2026-11-02T00:00:00Z",
            _ => "x",
        },
    };

    /// <summary>The schema's type (the first that is not "null") and format.</summary>
    private static (string? Type, string? Format) TypeOf(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return (null, null);
        }

        var format = schema.TryGetProperty("format", out var f) ? f.GetString() : null;
        if (!schema.TryGetProperty("type", out var t))
        {
            return (schema.TryGetProperty("enum", out _) ? "enum" : null, format);
        }

        return (t.ValueKind == JsonValueKind.Array ? t.EnumerateArray().Select(x => x.GetString()).FirstOrDefault(x => x != "null") : t.GetString(), format);
    }

    /// <summary>Follows $ref and takes the non-null branch of oneOf/anyOf; merges allOf.</summary>
    private static JsonElement Resolve(JsonElement doc, JsonElement schema)
    {
        for (var i = 0; i < 10 && schema.ValueKind == JsonValueKind.Object; i++)
        {
            if (schema.TryGetProperty("$ref", out var r))
            {
                schema = doc.GetProperty("components").GetProperty("schemas").GetProperty(r.GetString()!.Split('/')[^1]);
            }
            else if ((schema.TryGetProperty("oneOf", out var any) || schema.TryGetProperty("anyOf", out any))
                && any.EnumerateArray().FirstOrDefault(a => !(a.TryGetProperty("type", out var at) && at.ValueKind == JsonValueKind.String && at.GetString() == "null"))
                    is { ValueKind: JsonValueKind.Object } branch)
            {
                schema = branch;
            }
            else
            {
                break;
            }
        }

        return schema;
    }

    private static IEnumerable<JsonProperty> Properties(JsonElement doc, JsonElement schema)
    {
        schema = Resolve(doc, schema);
        if (schema.TryGetProperty("properties", out var props))
        {
            foreach (var p in props.EnumerateObject())
            {
                yield return p;
            }
        }

        if (schema.TryGetProperty("allOf", out var all))
        {
            foreach (var p in all.EnumerateArray().SelectMany(a => Properties(doc, a)))
            {
                yield return p;
            }
        }
    }

    /// <summary>A plausible value for the schema: real codes and well-formed values where the name says what is wanted.</summary>
    private JsonNode? Sample(JsonElement doc, JsonElement schema, string? name, int depth = 0)
    {
        schema = Resolve(doc, schema);
        if (depth > 6)
        {
            return null;
        }

        if (name is not null && _known.TryGetValue(name, out var known))
        {
            return known?.DeepClone();
        }

        if (schema.TryGetProperty("enum", out var e))
        {
            return JsonValue.Create(e.EnumerateArray().First().ToString());
        }

        var (type, format) = TypeOf(schema);
        switch (type)
        {
            case "object" or null when Properties(doc, schema).Any():
                var o = new JsonObject();
                foreach (var p in Properties(doc, schema))
                {
                    o[p.Name] = Sample(doc, p.Value, p.Name, depth + 1);
                }

                return o;
            case "object" when schema.TryGetProperty("additionalProperties", out var ap):
                return new JsonObject { ["note"] = Sample(doc, ap, null, depth + 1) };
            case "array":
                return new JsonArray(Sample(doc, schema.GetProperty("items"), name is null ? null : name + "[]", depth + 1));
            case "integer":
                return 1;
            case "number":
                return 1;
            case "boolean":
                return true;
            case "string" when format == "date-time":
                return "2026-11-02T02:00:00+00:00";
            case "string" when format == "date":
                return "2026-11-02";
            default:
                return "测试";
        }
    }

    /// <summary>Values that let a request through to its act: real codes, ids and names (set up by <see cref="ContextAsync"/>).</summary>
    private Dictionary<string, JsonNode?> _known = [];

    private static Dictionary<string, JsonNode?> KnownValues(Dictionary<string, string> form, string officerId, string resourceField) => new()
    {
        ["matterCode"] = Matter,
        ["eventId"] = "fuzz-event",
        ["caseId"] = "fuzz-case",
        ["centreCaseNumber"] = null,
        ["step"] = "受理",
        ["idType"] = "CreditCode",
        ["idNumber"] = CreditCode,
        ["name"] = "云溪县绿源食品有限公司",
        ["phone"] = "13800000002",
        ["legalRepresentative"] = "陈明",
        ["url"] = "https://example.com/hook",
        ["kinds"] = new JsonArray(ExchangeOutbox.Kinds[0]),
        ["code"] = "FUZZ-SYS",
        ["department"] = "SCJG",
        ["allowedMatters"] = new JsonArray(Matter),
        ["fields"] = new JsonArray(resourceField),
        ["method"] = "窗口领取",
        ["kind"] = "听证",
        ["outcome"] = "approve",
        ["decideNow"] = null,
        ["assigneeUserId"] = officerId,
        ["retentionYears"] = 30,
        ["feeCharged"] = 0,
        ["location"] = "档案室A柜3层",
        ["formData"] = new JsonObject(form.Select(f => KeyValuePair.Create(f.Key, (JsonNode?)f.Value))),
        ["data"] = new JsonObject { ["unitName"] = "云溪县测试有限公司" },
    };

    /// <summary>The sample with one thing wrong at a time, at every property (nested objects and array elements included).</summary>
    private IEnumerable<(string Label, JsonNode? Body)> Mutations(JsonElement doc, JsonElement schema, JsonNode? sample)
    {
        yield return ("sample", sample?.DeepClone());
        yield return ("array of the sample", new JsonArray(sample?.DeepClone()));
        foreach (var (path, propSchema, node) in Paths(doc, schema, sample, "$"))
        {
            foreach (var (label, value) in BadJsonValues(doc, propSchema, node))
            {
                yield return ($"{path} = {label}", Replace(sample, path, value, remove: label == "missing"));
            }
        }
    }

    private static IEnumerable<(string Path, JsonElement Schema, JsonNode? Node)> Paths(JsonElement doc, JsonElement schema, JsonNode? node, string path)
    {
        schema = Resolve(doc, schema);
        if (node is JsonObject o)
        {
            foreach (var p in Properties(doc, schema))
            {
                var child = $"{path}.{p.Name}";
                yield return (child, p.Value, o[p.Name]);
                foreach (var deeper in Paths(doc, p.Value, o[p.Name], child))
                {
                    yield return deeper;
                }
            }
        }
        else if (node is JsonArray a && a.Count > 0 && schema.TryGetProperty("items", out var items))
        {
            var child = $"{path}[0]";
            yield return (child, items, a[0]);
            foreach (var deeper in Paths(doc, items, a[0], child))
            {
                yield return deeper;
            }
        }
    }

    private static IEnumerable<(string Label, JsonNode? Value)> BadJsonValues(JsonElement doc, JsonElement schema, JsonNode? current)
    {
        var resolved = Resolve(doc, schema);
        var (type, format) = TypeOf(resolved);
        yield return ("missing", null);
        yield return ("null", null);
        yield return ("{}", new JsonObject());
        yield return ("[]", new JsonArray());
        yield return (type == "string" ? "number" : "string", type == "string" ? 12345 : "文字");
        yield return ("\"\"", "");
        yield return ("long string", new string(LongText[0], 5000));
        yield return ("control characters", "\u0000\u0001\u001f\u202e");
        yield return ("-1", -1);
        yield return ("int overflow", JsonNode.Parse("2147483648"));
        yield return ("decimal overflow", JsonNode.Parse("79228162514264337593543950336"));
        yield return ("1e308", JsonNode.Parse("1e308"));
        if (format == "date-time")
        {
            yield return ("0001-01-01", "0001-01-01T00:00:00+00:00");
            yield return ("9999-12-31", "9999-12-31T23:59:59.9999999+00:00");
            yield return ("0001-01-01+14:00", "0001-01-01T00:00:00+14:00");
            yield return ("9999-12-31-14:00", "9999-12-31T23:59:59-14:00");
            yield return ("date without time", "2026-11-02");
        }

        if (type == "array")
        {
            yield return ("[null]", new JsonArray((JsonNode?)null));
            yield return ("[[]]", new JsonArray(new JsonArray()));
            yield return ("[{}]", new JsonArray(new JsonObject()));
            yield return ("[\"\"]", new JsonArray(""));
            yield return ("[long]", new JsonArray(new string(LongText[0], 5000)));
            yield return ("[5000 items]", new JsonArray(Enumerable.Range(0, 5000).Select(i => (JsonNode?)JsonValue.Create("项" + i)).ToArray()));
            yield return ("[same twice]", new JsonArray((current as JsonArray)?.FirstOrDefault()?.DeepClone(), (current as JsonArray)?.FirstOrDefault()?.DeepClone()));
        }

        if (type == "object" && resolved.TryGetProperty("additionalProperties", out _))
        {
            if (current is JsonObject { Count: > 0 } o && o.First().Key is { } key)
            {
                // A real entry of the dictionary (a form field) with a bad value.
                yield return ("{k: null}", new JsonObject { [key] = null });
                yield return ("{k: control characters}", new JsonObject { [key] = "\u0000\u0001" });
                yield return ("{k: long}", new JsonObject { [key] = new string(LongText[0], 5000) });
                yield return ("{k: 0001-01-01}", new JsonObject { [key] = "0001-01-01" });
            }

            yield return ("{k: null}", new JsonObject { ["note"] = null });
            yield return ("{\"\": v}", new JsonObject { [""] = "v" });
            yield return ("{long key}", new JsonObject { [new string('k', 5000)] = "v" });
            yield return ("{k: {}}", new JsonObject { ["note"] = new JsonObject() });
            yield return ("{1000 keys}", new JsonObject(Enumerable.Range(0, 1000).Select(i => KeyValuePair.Create("k" + i, (JsonNode?)"v"))));
        }
    }

    /// <summary>A copy of the sample with the value at the path replaced (or removed).</summary>
    private static JsonNode? Replace(JsonNode? sample, string path, JsonNode? value, bool remove)
    {
        var copy = sample?.DeepClone();
        var parts = PathPart().Matches(path).Select(m => m.Value).ToList();
        var node = copy;
        for (var i = 0; i < parts.Count - 1; i++)
        {
            node = parts[i].StartsWith('[') ? node?[0] : node?[parts[i].TrimStart('.')];
        }

        var last = parts[^1];
        if (last.StartsWith('[') && node is JsonArray a)
        {
            a[0] = value?.DeepClone();
        }
        else if (node is JsonObject o)
        {
            var key = last.TrimStart('.');
            if (remove)
            {
                o.Remove(key);
            }
            else
            {
                o[key] = value?.DeepClone();
            }
        }

        return copy;
    }

    [GeneratedRegex(@"\{([^}:?]+)[^}]*\}")]
    private static partial Regex RouteParameter();

    [GeneratedRegex(@"\.[^.\[]+|\[0\]")]
    private static partial Regex PathPart();
}
