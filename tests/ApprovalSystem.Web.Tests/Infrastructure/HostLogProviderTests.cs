using ApprovalSystem.Web.Infrastructure;
using Microsoft.Extensions.Logging;

namespace ApprovalSystem.Web.Tests.Infrastructure;

/// <summary>
/// Hangfire's process-wide log provider may still hold a host's logger factory after that host stopped (several hosts in one test
/// run): a job client made then must get a silent logger, not fail the start with ObjectDisposedException (a CI run did).
/// </summary>
public sealed class HostLogProviderTests
{
    [Fact]
    public void ALiveFactory_Logs_AndADisposedOne_GivesASilentLoggerInsteadOfThrowing()
    {
        var written = new List<string>();
        var factory = LoggerFactory.Create(b => b.AddProvider(new ListProvider(written)).SetMinimumLevel(LogLevel.Trace));
        var provider = new HostLogProvider(factory);

        Assert.True(provider.GetLogger("Hangfire.Test").Log(Hangfire.Logging.LogLevel.Warn, () => "队列已满"));
        Assert.Equal(["Hangfire.Test: 队列已满"], written);

        factory.Dispose();
        Assert.Throws<ObjectDisposedException>(() => factory.CreateLogger("x")); // what Hangfire's own provider ran into
        var silent = provider.GetLogger("Hangfire.Client.BackgroundJobFactory");
        Assert.False(silent.Log(Hangfire.Logging.LogLevel.Error, () => "不会写出"));
        Assert.Single(written);
    }

    private sealed class ListProvider(List<string> written) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new ListLogger(categoryName, written);

        public void Dispose()
        {
        }
    }

    private sealed class ListLogger(string category, List<string> written) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            written.Add($"{category}: {formatter(state, exception)}");
    }
}
