using ApprovalSystem.Core.Cases;
using ApprovalSystem.Web.Infrastructure;
using NetArchTest.Rules;

namespace ApprovalSystem.Web.Tests.Architecture;

/// <summary>
/// The house's load-bearing walls (decision 0015), read from the compiled assemblies: Infrastructure knows no
/// feature (features register their act writers, observers and seeds with it), and Core knows no web code.
/// </summary>
public class LayeringTests
{
    [Fact]
    public void Infrastructure_DependsOnNoFeature()
    {
        var result = Types.InAssembly(typeof(CaseStore).Assembly)
            .That().ResideInNamespaceMatching(@"^ApprovalSystem\.Web\.Infrastructure(\.|$)")
            .ShouldNot().HaveDependencyOnAny("ApprovalSystem.Web.Features")
            .GetResult();

        Assert.Contains(result.SelectedTypesForTesting, t => t.FullName == typeof(CaseStore).FullName);
        Assert.True(result.IsSuccessful, "Infrastructure types using a feature: " + string.Join(", ", result.FailingTypes?.Select(t => t.FullName) ?? []));
    }

    [Fact]
    public void Core_DependsOnNoWebCode_NorOnEntityFramework()
    {
        var result = Types.InAssembly(typeof(Case).Assembly)
            .ShouldNot().HaveDependencyOnAny("ApprovalSystem.Web", "Microsoft.EntityFrameworkCore", "Microsoft.AspNetCore")
            .GetResult();

        Assert.Contains(result.SelectedTypesForTesting, t => t.FullName == typeof(Case).FullName);
        Assert.True(result.IsSuccessful, "Core types depending on the web layer: " + string.Join(", ", result.FailingTypes?.Select(t => t.FullName) ?? []));
    }

    [Fact]
    public void TheArchitectureCheck_SeesADependencyWhenThereIsOne()
    {
        // The check itself can fail: the features do depend on Infrastructure.
        var result = Types.InAssembly(typeof(CaseStore).Assembly)
            .That().ResideInNamespaceMatching(@"^ApprovalSystem\.Web\.Features\.Cases(\.|$)")
            .ShouldNot().HaveDependencyOnAny("ApprovalSystem.Web.Infrastructure")
            .GetResult();

        Assert.False(result.IsSuccessful);
    }
}
