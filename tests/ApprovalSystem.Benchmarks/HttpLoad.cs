using System.Diagnostics;

namespace ApprovalSystem.Benchmarks;

/// <summary>
/// Requests per second against a running server (README's first command), <c>connections</c> requests in flight at once,
/// each path in turn for the same time, anonymous. The first path is the baseline (a static file served by the same
/// server in the same run); each path's rate is given with its ratio to it. Client and server share the machine's cores,
/// as they do for the baseline.
/// </summary>
public static class HttpLoad
{
    public sealed record Row(string Path, int Connections, long Requests, long Failures, double PerSecond, double P50Ms, double P95Ms, long Bytes);

    public static async Task<List<Row>> RunAsync(Uri server, IReadOnlyList<string> paths, int connections, TimeSpan duration)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, UseCookies = false, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
        using var client = new HttpClient(handler) { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };
        var rows = new List<Row>();
        foreach (var path in paths)
        {
            await RunOnceAsync(client, path, connections, TimeSpan.FromSeconds(2)); // warm-up: JIT, connections, the output cache
            rows.Add(await RunOnceAsync(client, path, connections, duration));
        }

        return rows;
    }

    private static async Task<Row> RunOnceAsync(HttpClient client, string path, int connections, TimeSpan duration)
    {
        long requests = 0, failures = 0, bytes = 0;
        var latencies = new List<double>[connections];
        var stop = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, connections).Select(async i =>
        {
            latencies[i] = [];
            while (stop.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await client.GetAsync(path);
                    var body = await response.Content.ReadAsByteArrayAsync();
                    Interlocked.Add(ref bytes, body.Length);
                    if (!response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref failures);
                }

                latencies[i].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                Interlocked.Increment(ref requests);
            }
        }).ToArray();
        await Task.WhenAll(workers);
        var elapsed = stop.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToList();
        return new Row(path, connections, requests, failures, requests / elapsed, all[all.Count / 2], all[(int)(all.Count * 0.95)],
            requests == 0 ? 0 : bytes / requests);
    }
}
