using System.Runtime.CompilerServices;
using Bunit;

namespace ApprovalSystem.Web.Tests.Infrastructure;

/// <summary>Settings every bUnit test of this assembly shares.</summary>
internal static class ComponentTestSettings
{
    /// <summary>
    /// Pages load their data from a real database, and CI runs the suite on SQLite and PostgreSQL on a
    /// two-core machine while other suites build: bUnit's default of one second for a component's
    /// first render with data is too short there (seen: the dashboard's first load on PostgreSQL). A
    /// wait still ends as soon as its assertion passes.
    /// </summary>
    [ModuleInitializer]
    internal static void Initialize() => BunitContext.DefaultWaitTimeout = TimeSpan.FromSeconds(15);
}
