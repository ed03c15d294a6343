using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ApprovalSystem.Benchmarks;

/// <summary>
/// HTTP filings per second against a running server (issue 14's goal: ≥ 3× the rate of the commit current when it was
/// filed, both measured in the same run by <c>filing-vs-baseline.sh</c>). Each account signs in once through the login
/// form (cookie); then <c>connections</c> clients file for <c>duration</c>: one filing is one
/// <c>POST /api/cases</c> with <c>submit: true</c>, the matter's required form fields and a fresh Idempotency-Key, the
/// request an applicant's client makes, the same in every version since the API was written. A filing counts when the
/// answer is 201. The server's CPU is read from /proc/&lt;pid&gt;/stat before and after the measured window, and once
/// more when the server has gone quiet afterwards (work it does after the response, e.g. documents rendered by the
/// background worker since decision 0016, belongs to the filings too). Client and server share the machine's cores.
/// </summary>
public static partial class FilingLoad
{
    public sealed record Result(
        string Matter, string Accounts, int Connections, double Seconds, long Filings, long Failures, double PerSecond, double P50Ms, double P95Ms,
        double CpuMsPerFiling, double CpuMsPerFilingDrained, double DrainSeconds, double PerSecondDrained, double WarmUpSeconds, double JitMs,
        string FirstState, string? FirstFailure);

    public static async Task<Result> RunAsync(Uri server, int serverPid, IReadOnlyList<string> accounts, string password, string matter,
        int connections, TimeSpan duration, TimeSpan maxWarmUp)
    {
        var command = File.ReadAllText($"/proc/{serverPid}/cmdline").Replace('\0', ' ');
        if (!command.Contains("ApprovalSystem.Web", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Process {serverPid} is not the web app ({command.Trim()}): its CPU would not be the server's");
        }

        var form = RequiredForm(matter);
        var clients = new List<HttpClient>();
        try
        {
            foreach (var account in accounts)
            {
                clients.Add(await SignInAsync(server, account, password, connections));
            }

            // One filing first: the API answers as expected (201 with a case), or the run stops here with what it said.
            var (firstOk, firstText) = await FileOnceAsync(clients[0], matter, form);
            if (!firstOk)
            {
                throw new InvalidOperationException($"The first filing failed: {firstText}");
            }

            var firstState = JsonDocument.Parse(firstText).RootElement.TryGetProperty("state", out var s) ? s.GetString() ?? "?" : "?";

            // Warm-up: connections, pools, and the JIT. Tiered compilation recompiles hot methods for seconds after a start (in a short
            // run of the older version, with its PDF code in the request, it took more CPU than the filings); warm up in 2 s slices
            // until the runtime's tiered-compilation thread is nearly idle over two in a row, or maxWarmUp has passed. (One quiet
            // slice was not enough on a loaded machine: the compiler came back in the measured window.)
            var warmUp = Stopwatch.StartNew();
            var quietSlices = 0;
            do
            {
                var jitBefore = JitCpu(serverPid);
                await RunOnceAsync(clients, matter, form, connections, TimeSpan.FromSeconds(2), serverPid);
                quietSlices = JitMs(jitBefore, JitCpu(serverPid)) < 50 ? quietSlices + 1 : 0;
            }
            while (quietSlices < 2 && warmUp.Elapsed < maxWarmUp);

            var warmUpSeconds = warmUp.Elapsed.TotalSeconds;
            await QuietAsync(serverPid, TimeSpan.FromSeconds(10));

            // The CPU figures leave out the tiered compiler's thread (a start's transient, reported on its own as JIT ms).
            var run = await RunOnceAsync(clients, matter, form, connections, duration, serverPid);
            var drainStarted = Stopwatch.StartNew();
            var drained = await QuietAsync(serverPid, TimeSpan.FromSeconds(10));
            var drain = drainStarted.Elapsed.TotalSeconds;
            var perFiling = (CpuReading from, CpuReading to) => run.Filings == 0 ? 0 : WorkMs(from, to) / run.Filings;
            return new Result(matter, string.Join(',', accounts), connections, run.Seconds, run.Filings, run.Failures, run.Filings / run.Seconds, run.P50Ms,
                run.P95Ms, perFiling(run.Start, run.End), perFiling(run.Start, drained), drain,

                // The drain ends with one quiet half second, not counted.
                run.Filings / (run.Seconds + Math.Max(0, drain - 0.5)), warmUpSeconds, JitMs(run.Start.Jit, run.End.Jit), firstState,
                run.FirstFailure);
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    private sealed record Run(double Seconds, long Filings, long Failures, double P50Ms, double P95Ms, CpuReading Start, CpuReading End, string? FirstFailure);

    /// <summary>The server's CPU so far (ms), and its tiered compiler's by thread (ticks).</summary>
    private sealed record CpuReading(double TotalMs, Dictionary<string, long> Jit)
    {
        public static CpuReading Of(int pid) => new(ServerCpu(pid).TotalMilliseconds, JitCpu(pid));
    }

    /// <summary>The server's CPU between two readings, without its tiered compiler's.</summary>
    private static double WorkMs(CpuReading from, CpuReading to) => to.TotalMs - from.TotalMs - JitMs(from.Jit, to.Jit);

    private static async Task<Run> RunOnceAsync(List<HttpClient> clients, string matter, Dictionary<string, string> form, int connections,
        TimeSpan duration, int serverPid)
    {
        long filings = 0, failures = 0;
        string? firstFailure = null;
        var latencies = new List<double>[connections];
        var cpuStart = CpuReading.Of(serverPid);
        var stop = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, connections).Select(async i =>
        {
            latencies[i] = [];
            var client = clients[i % clients.Count];
            while (stop.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                var (ok, text) = await FileOnceAsync(client, matter, form);
                latencies[i].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (ok)
                {
                    Interlocked.Increment(ref filings);
                }
                else
                {
                    Interlocked.Increment(ref failures);
                    Interlocked.CompareExchange(ref firstFailure, text, null);
                }
            }
        }).ToArray();
        await Task.WhenAll(workers);
        var elapsed = stop.Elapsed.TotalSeconds;
        var cpuEnd = CpuReading.Of(serverPid);
        var all = latencies.SelectMany(l => l).Order().ToList();
        return new Run(elapsed, filings, failures, all.Count == 0 ? 0 : all[all.Count / 2], all.Count == 0 ? 0 : all[(int)(all.Count * 0.95)], cpuStart, cpuEnd,
            firstFailure);
    }

    /// <summary>One filing: true with the body when the server answered 201; false with the status and the start of the body otherwise.</summary>
    private static async Task<(bool Ok, string Text)> FileOnceAsync(HttpClient client, string matter, Dictionary<string, string> form)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/cases")
            {
                Content = JsonContent.Create(new { matterCode = matter, submit = true, formData = form }),
            };
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
            request.Headers.Add("X-Requested-With", "filing-load"); // required of cookie callers since decision 0022 (ignored before)
            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            return response.StatusCode == HttpStatusCode.Created
                ? (true, text)
                : (false, $"{(int)response.StatusCode} {text[..Math.Min(text.Length, 300)]}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return (false, e.GetType().Name + ": " + e.Message);
        }
    }

    /// <summary>Signs in through the login form as a browser would (its hidden fields: antiforgery, Blazor's form name); the client keeps the cookie.</summary>
    private static async Task<HttpClient> SignInAsync(Uri server, string account, string password, int connections)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections, UseCookies = true, CookieContainer = new CookieContainer(), AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        };
        var client = new HttpClient(handler) { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };
        var page = await client.GetStringAsync("/account/login");
        var formHtml = FormRegex().Match(page);
        if (!formHtml.Success)
        {
            throw new InvalidOperationException("No login form on /account/login");
        }

        var fields = HiddenRegex().Matches(formHtml.Value).ToDictionary(m => m.Groups["name"].Value, m => WebUtility.HtmlDecode(m.Groups["value"].Value));
        fields["Input.Account"] = account;
        fields["Input.Password"] = password;
        using var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(fields));
        if (response.StatusCode != HttpStatusCode.Redirect && response.StatusCode != HttpStatusCode.Found)
        {
            throw new InvalidOperationException($"Sign-in as {account} answered {(int)response.StatusCode}, not a redirect (wrong account or password?)");
        }

        using var check = await client.GetAsync("/api/cases/mine?take=1");
        if (!check.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Signed in as {account}, but GET /api/cases/mine answered {(int)check.StatusCode}");
        }

        return client;
    }

    /// <summary>
    /// Valid values for the matter's required form fields, read from the seed catalogue this build carries (the same rules
    /// as the web tests' TestForms). Any matter works; the default is the joint 330799-BDC-001 (decision 0058).
    /// </summary>
    public static Dictionary<string, string> RequiredForm(string matter)
    {
        var file = Path.Combine(AppContext.BaseDirectory, "Data", "Seed", "catalogue.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(file));
        var found = Find(doc.RootElement, matter) ?? throw new InvalidOperationException($"Matter {matter} is not in {file}");
        var form = new Dictionary<string, string>();
        foreach (var f in found.GetProperty("formFields").EnumerateArray())
        {
            if (!f.TryGetProperty("required", out var required) || !required.GetBoolean())
            {
                continue;
            }

            form[f.GetProperty("key").GetString()!] = f.GetProperty("type").GetString() switch
            {
                "number" => "500",
                "date" => "2026-12-01",
                "phone" => "13800000001",
                "idcard" => "330799198503120016",
                "creditcode" => "91330799MA2K3L4N5T",
                "select" => f.GetProperty("options")[0].GetString()!,
                _ => "测试内容",
            };
        }

        return form;
    }

    private static JsonElement? Find(JsonElement e, string code)
    {
        if (e.ValueKind == JsonValueKind.Object)
        {
            if (e.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String && c.GetString() == code && e.TryGetProperty("formFields", out _))
            {
                return e;
            }

            foreach (var p in e.EnumerateObject())
            {
                if (Find(p.Value, code) is { } hit)
                {
                    return hit;
                }
            }
        }
        else if (e.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in e.EnumerateArray())
            {
                if (Find(item, code) is { } hit)
                {
                    return hit;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Waits until the server, its tiered compiler aside, uses under 2% of a core over half a second (or <paramref name="limit"/>
    /// passes); returns its CPU then.
    /// </summary>
    private static async Task<CpuReading> QuietAsync(int pid, TimeSpan limit)
    {
        var started = Stopwatch.StartNew();
        var last = CpuReading.Of(pid);
        while (started.Elapsed < limit)
        {
            await Task.Delay(500);
            var now = CpuReading.Of(pid);
            if (WorkMs(last, now) < 10)
            {
                return now;
            }

            last = now;
        }

        return last;
    }

    /// <summary>The server's CPU so far (user + system), from /proc.</summary>
    public static TimeSpan ServerCpu(int pid)
    {
        var text = File.ReadAllText($"/proc/{pid}/stat");
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromMilliseconds(ticks * 10.0); // USER_HZ is 100 on Linux
    }

    /// <summary>
    /// The CPU of the runtime's tiered-compilation thread (".NET Tiered Compilation", 15 characters in /proc) so far, by thread: the
    /// runtime ends it when idle and starts another when needed.
    /// </summary>
    internal static Dictionary<string, long> JitCpu(int pid)
    {
        var ticks = new Dictionary<string, long>();
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).StartsWith(".NET Tiered", StringComparison.Ordinal))
                {
                    var text = File.ReadAllText(Path.Combine(task, "stat"));
                    var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
                    ticks[Path.GetFileName(task)] = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                }
            }
            catch (IOException)
            {
                // The thread ended between the listing and the read.
            }
        }

        return ticks;
    }

    /// <summary>JIT CPU between two readings (a thread that ended in between is lost: the figure is a lower bound).</summary>
    internal static double JitMs(Dictionary<string, long> before, Dictionary<string, long> after) =>
        after.Sum(t => Math.Max(0, t.Value - before.GetValueOrDefault(t.Key))) * 10.0;

    [GeneratedRegex("<form[^>]*method=\"post\"[\\s\\S]*?</form>")]
    private static partial Regex FormRegex();

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*name=\"(?<name>[^\"]+)\"[^>]*value=\"(?<value>[^\"]*)\"")]
    private static partial Regex HiddenRegex();
}
