using ApprovalSystem.Core.Identity;

namespace ApprovalSystem.Core.Cases;

/// <summary>Who filed an application and who may see it: one rule for a case and for a bundle case 一件事 (decision 0054).</summary>
public static class FilerRules
{
    /// <summary>The applicant who filed, the agent (or the agent's station) who filed for a resident, or any clerk for a walk-in.</summary>
    public static bool IsFiler(CaseActor actor, CaseChannel channel, string? ownerUserId, string? agentUserId, string? stationCode) =>
        (ownerUserId is not null && actor.UserId == ownerUserId)
        || (agentUserId is not null && actor.Is(Roles.Agent) && (actor.UserId == agentUserId || (stationCode is not null && actor.Station == stationCode)))
        || (channel == CaseChannel.Window && actor.Is(Roles.Clerk));

    /// <summary>The owner, the agent's station, the window, supervisors, administrators, and the officers of the departments that handle it.</summary>
    public static bool Sees(CaseActor actor, string? ownerUserId, string? stationCode, IEnumerable<string> departments) =>
        actor.Is(Roles.Clerk) || actor.Is(Roles.Supervisor) || actor.Is(Roles.Administrator)
        || (actor.Is(Roles.Applicant) && ownerUserId == actor.UserId)
        || (actor.Is(Roles.Agent) && stationCode is not null && stationCode == actor.Station)
        || ((actor.Is(Roles.Officer) || actor.Is(Roles.DepartmentHead)) && actor.Department is not null && departments.Contains(actor.Department));
}
