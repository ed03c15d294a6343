using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ApprovalSystem.Web.Tests.Infrastructure;

/// <summary>
/// One node of a pair on one database (issue 17): <see cref="SecondNode"/> starts another host on the same database and data
/// folder, as a second server behind the load balancer would run. Each request's connection address may be set with the
/// test-only header <see cref="AddressHeader"/> (the load balancer's or a client's), before forwarded headers are read.
/// Dispose the second node first; the first one, which keeps the data, last.
/// </summary>
public sealed class NodeFactory : AppFactory
{
    protected override bool FromTemplate => true; // settings of its own, the same first start

    public const string AddressHeader = "X-Test-Connection-Address";

    private readonly IReadOnlyDictionary<string, string?> _settings;

    /// <param name="settings">Configuration both nodes get.</param>
    /// <param name="alone">No second node will follow: this one drops its database when disposed.</param>
    public NodeFactory(IReadOnlyDictionary<string, string?>? settings = null, bool alone = false)
    {
        _settings = settings ?? new Dictionary<string, string?>();
        KeepsData = !alone;
    }

    private NodeFactory(string folder, string pgDatabase, IReadOnlyDictionary<string, string?> settings)
        : base(folder, pgDatabase)
    {
        _settings = settings;
    }

    /// <summary>Another host on this one's database, with the same settings and <paramref name="more"/> (it drops the database when disposed).</summary>
    public NodeFactory SecondNode(IReadOnlyDictionary<string, string?>? more = null) =>
        new(DataFolder, PgDatabase, more is null ? _settings : _settings.Concat(more).ToDictionary(kv => kv.Key, kv => kv.Value));

    /// <summary>A client whose requests come from <paramref name="address"/> (null: the test server's default).</summary>
    public HttpClient ClientFrom(string? address)
    {
        var client = CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (address is not null)
        {
            client.DefaultRequestHeaders.Add(AddressHeader, address);
        }

        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(s => s.AddSingleton<IStartupFilter, AddressFromHeader>());
    }

    private sealed class AddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((HttpContext context, RequestDelegate n) =>
            {
                if (IPAddress.TryParse(context.Request.Headers[AddressHeader], out var ip))
                {
                    context.Connection.RemoteIpAddress = ip;
                }

                return n(context);
            });
            next(app);
        };
    }
}

/// <summary>Two nodes on one database, for a test class: the second stops (and drops the database) after the first.</summary>
public class NodePair : IDisposable
{
    public NodePair()
        : this(null)
    {
    }

    protected NodePair(IReadOnlyDictionary<string, string?>? settings)
    {
        A = new NodeFactory(settings);
        _ = A.Services; // the first node migrates and seeds before the second starts
        B = A.SecondNode();
        _ = B.Services;
    }

    public NodeFactory A { get; }

    public NodeFactory B { get; }

    public void Dispose()
    {
        A.Dispose();
        B.Dispose();
        GC.SuppressFinalize(this);
    }
}
