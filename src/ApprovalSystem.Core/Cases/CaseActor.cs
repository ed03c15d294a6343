using ApprovalSystem.Core.Identity;

namespace ApprovalSystem.Core.Cases;

/// <summary>Who acts on a case: the user, their roles and the department or station they belong to.</summary>
public sealed record CaseActor(string UserId, string Name, IReadOnlyCollection<string> Roles, string? Department = null, string? Station = null)
{
    public bool Is(string role) => Roles.Contains(role);

    /// <summary>The role recorded in the journal: the most specific one the actor holds.</summary>
    public string PrimaryRole => Identity.Roles.All.Reverse().FirstOrDefault(Roles.Contains) ?? "";

    /// <summary>The system itself (line systems, jobs).</summary>
    public static CaseActor System(string name) => new("system", name, []);
}

/// <summary>A rule of the lifecycle or of who may act was broken; the message is for the person acting.</summary>
public sealed class CaseRuleException : Exception
{
    public CaseRuleException(string message)
        : base(message)
    {
    }

    public CaseRuleException()
    {
    }

    public CaseRuleException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>One entry for the case journal 全程留痕: who did what, when, with which opinion and data.</summary>
public sealed record CaseRecord(
    CaseTrigger Action,
    DateTimeOffset At,
    CaseActor Actor,
    string? Opinion,
    IReadOnlyDictionary<string, string?> Data,
    CaseState From,
    CaseState To);
