using System.Collections.Concurrent;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace ApprovalSystem.Web.Tests.Cluster;

/// <summary>
/// One node of a pair on the same database (PostgreSQL in CI, the SQLite file otherwise), with a clock the test moves and
/// every Warning-or-worse log entry it writes captured. <see cref="SecondNode"/> makes the other one: it keeps the data
/// when disposed (dispose it first), the first drops the database.
/// </summary>
public sealed class NodeFactory : AppFactory
{
    private readonly Dictionary<string, string?> _settings = [];

    public NodeFactory()
    {
    }

    private NodeFactory(string folder, string pgDatabase, FakeTimeProvider clock)
        : base(folder, pgDatabase)
    {
        Clock = clock;
        KeepsData = true;
    }

    private static readonly DateTimeOffset Start = new(2026, 12, 1, 1, 0, 0, TimeSpan.Zero);

    public FakeTimeProvider Clock { get; } = new(Start);

    /// <summary>The first node started with the clock where it began is the template made at that instant (settings of its own, the same first start).</summary>
    protected override bool FromTemplate => Clock.GetUtcNow() == Start;

    protected override DateTimeOffset? StartsAt => Start;

    /// <summary>What the node logged at Warning or above (category, level, message).</summary>
    public ConcurrentQueue<(string Category, LogLevel Level, string Message)> Logged { get; } = new();

    /// <summary>A configuration value for both nodes made after it is set (e.g. the cluster events' settings).</summary>
    public NodeFactory With(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    /// <summary>Another node on this node's database and data folder, sharing its clock.</summary>
    public NodeFactory SecondNode()
    {
        var node = new NodeFactory(DataFolder, PgDatabase, Clock);
        foreach (var (k, v) in _settings)
        {
            node._settings[k] = v;
        }

        return node;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (k, v) in _settings)
        {
            builder.UseSetting(k, v);
        }

        builder.ConfigureLogging(l => l.AddProvider(new CapturingProvider(Logged)));
        builder.ConfigureTestServices(s =>
        {
            s.AddSingleton<TimeProvider>(Clock);
            s.AddSingleton<ApprovalSystem.Web.Infrastructure.ICaseActProbe>(FailNextCommit);
        });
    }

    /// <summary>Set <see cref="FailingCommit.Armed"/>: the next act fails after writing its rows, just before its commit (rolled back).</summary>
    public FailingCommit FailNextCommit { get; } = new();

    public sealed class FailingCommit : ApprovalSystem.Web.Infrastructure.ICaseActProbe
    {
        private volatile bool _armed;

        public bool Armed
        {
            get => _armed;
            set => _armed = value;
        }

        public ValueTask ReadAsync(CancellationToken ct) => ValueTask.CompletedTask;

        public ValueTask BeforeCommitAsync(CancellationToken ct)
        {
            if (_armed)
            {
                _armed = false;
                throw new InvalidOperationException("test: the act fails before its commit");
            }

            return ValueTask.CompletedTask;
        }
    }

    private sealed class CapturingProvider(ConcurrentQueue<(string, LogLevel, string)> sink) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Capturing(categoryName, sink);

        public void Dispose()
        {
        }
    }

    private sealed class Capturing(string category, ConcurrentQueue<(string, LogLevel, string)> sink) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                sink.Enqueue((category, logLevel, formatter(state, exception) + (exception is null ? "" : " " + exception.GetType().Name)));
            }
        }
    }
}
