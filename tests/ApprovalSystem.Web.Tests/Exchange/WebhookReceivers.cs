using System.Net;
using System.Net.Sockets;
using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Features.Exchange.Outbound;
using ApprovalSystem.Web.Features.Exchange.Systems;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Tests.Exchange;

/// <summary>
/// The app with webhooks to private and loopback addresses allowed (<c>Exchange:Webhooks:AllowPrivateNetworks</c>): the tests that
/// receive webhooks on this machine opt in here; every other factory keeps the default, which refuses them.
/// </summary>
public sealed class LoopbackWebhooksFactory : AppFactory
{
    protected override bool FromTemplate => true; // settings of its own, the same first start

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Exchange:Webhooks:AllowPrivateNetworks", "true");
    }
}

/// <summary>
/// A loopback webhook receiver that answers 500 to the first <c>failures</c> requests, then 200 — or, with <c>redirectTo</c>,
/// 302 to that address every time.
/// </summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly int _failures;
    private readonly string? _redirectTo;
    private readonly Task _loop;

    public WebhookReceiver(int failures = 0, string? redirectTo = null)
    {
        _failures = failures;
        _redirectTo = redirectTo;
        var port = ConnectionProbe.FreePort();
        Url = $"http://127.0.0.1:{port}/hook/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public string Url { get; }

    public List<(string Body, string? Signature, string? EventId)> Received { get; } = [];

    public int Requests { get; private set; }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext ctx;
            try
            {
                ctx = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var reader = new StreamReader(ctx.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            bool ok;
            lock (Received)
            {
                Requests++;
                ok = _redirectTo is null && Requests > _failures;
                if (ok)
                {
                    Received.Add((body, ctx.Request.Headers["X-Signature"], ctx.Request.Headers["X-Event-Id"]));
                }
            }

            if (_redirectTo is not null)
            {
                ctx.Response.StatusCode = 302;
                ctx.Response.RedirectLocation = _redirectTo;
            }
            else
            {
                ctx.Response.StatusCode = ok ? 200 : 500;
            }

            ctx.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}

/// <summary>
/// Counts TCP connections to one port on both loopback addresses (127.0.0.1 and ::1 when the machine has it) and closes each at once:
/// it sees an attempt to reach the machine whatever the name or notation of the URL.
/// </summary>
public sealed class ConnectionProbe : IDisposable
{
    private readonly List<TcpListener> _listeners = [];
    private readonly List<Task> _loops = [];
    private int _connections;

    public ConnectionProbe()
    {
        Port = FreePort();
        _listeners.Add(new TcpListener(IPAddress.Loopback, Port));
        if (Socket.OSSupportsIPv6)
        {
            _listeners.Add(new TcpListener(IPAddress.IPv6Loopback, Port));
        }

        foreach (var listener in _listeners.ToList())
        {
            try
            {
                listener.Start();
                _loops.Add(Task.Run(() => AcceptAsync(listener)));
            }
            catch (SocketException)
            {
                // No ::1 here (or its port is taken): nothing can connect to it then either.
                _listeners.Remove(listener);
            }
        }
    }

    public int Port { get; }

    public int Connections => Volatile.Read(ref _connections);

    /// <summary>A port free on 127.0.0.1 a moment ago.</summary>
    public static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private async Task AcceptAsync(TcpListener listener)
    {
        while (true)
        {
            try
            {
                using var client = await listener.AcceptTcpClientAsync();
                Interlocked.Increment(ref _connections);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
        }
    }

    public void Dispose()
    {
        foreach (var listener in _listeners)
        {
            listener.Stop();
        }

        Task.WaitAll([.. _loops], TimeSpan.FromSeconds(5));
    }
}

/// <summary>A subscription stored as it is (bypassing the subscription endpoint's check: one stored before it, say) and one due delivery.</summary>
public static class StoredWebhooks
{
    public static async Task<long> StoreAsync(AppFactory factory, string url, IReadOnlyList<string>? allowList = null)
    {
        var issued = await factory.Get<LineSystems.Handler>().RegisterAsync(
            new("ST-" + Guid.NewGuid().ToString("N")[..8], "存量订阅", "SW", null, allowList));
        await using var db = factory.CreateDbContext();
        var subscription = new WebhookSubscription { SystemId = issued.System.Id, Url = url, Secret = "s", CreatedAt = DateTimeOffset.UtcNow };
        db.WebhookSubscriptions.Add(subscription);
        await db.SaveChangesAsync();
        var at = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 1);
        var message = new OutboxMessage
        {
            EventId = Guid.NewGuid().ToString("N"), SubscriptionId = subscription.Id, Kind = "filed", CaseId = 1, Payload = "{}",
            CreatedAt = at, NextAttemptAt = at, Status = DeliveryStatus.Pending,
        };
        db.Outbox.Add(message);
        await db.SaveChangesAsync();
        return message.Id;
    }

    /// <summary>Runs the delivery job once for the rows due now and returns the row afterwards.</summary>
    public static async Task<OutboxMessage> DeliverAsync(AppFactory factory, long id)
    {
        await factory.Get<WebhookDispatcher>().DeliverDueAsync(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        await using var db = factory.CreateDbContext();
        return await db.Outbox.AsNoTracking().SingleAsync(m => m.Id == id);
    }
}
