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

    /// <summary>The name the automatic approver 秒批系统 acts and is journalled under.</summary>
    public const string AutoApproverName = "秒批系统";

    /// <summary>
    /// The automatic approver 秒批系统: a system actor with no role, so it passes none of the checks made for people (it can
    /// accept, decide and issue only through <see cref="Case.ApproveAutomatically"/>, which demands a published rule version of the
    /// case's own matter), and separation of duties, which compares people's acts, never counts it.
    /// </summary>
    public static CaseActor AutoApprover { get; } = new("system:auto-approval", AutoApproverName, []);

    public bool IsAutoApprover => UserId == AutoApprover.UserId;
}

/// <summary>A rule of the lifecycle or of who may act was broken; the message is for the person acting.</summary>
public class CaseRuleException : Exception
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

/// <summary>What is wrong with the input itself (not with the case's state): the API answers 400, 413 or 415, not 409.</summary>
public enum InputProblem
{
    /// <summary>A value has the wrong form, is missing or unknown (400).</summary>
    Invalid,

    /// <summary>The content is larger than the limit (413).</summary>
    TooLarge,

    /// <summary>The content is of a type that is not taken (415).</summary>
    UnsupportedType,

    /// <summary>An idempotency key sent again with a different request (422, as the IETF Idempotency-Key draft answers).</summary>
    KeyReused,
}

/// <summary>
/// The request is wrong, whatever state the case is in: a malformed ID number in the form, a file that is no
/// PDF, an empty or oversized upload. <see cref="Errors"/> names each field (as the JSON names it) with its
/// messages. It is a <see cref="CaseRuleException"/>, so pages that show a refusal's message show this one too.
/// </summary>
public sealed class CaseInputException : CaseRuleException
{
    public CaseInputException(InputProblem problem, IReadOnlyDictionary<string, string[]> errors)
        : base(string.Join("；", errors.Values.SelectMany(m => m)))
    {
        Problem = problem;
        Errors = errors;
    }

    public CaseInputException(InputProblem problem, string field, string message)
        : this(problem, new Dictionary<string, string[]> { [field] = [message] })
    {
    }

    public InputProblem Problem { get; }

    public IReadOnlyDictionary<string, string[]> Errors { get; }

    /// <summary>One field's several messages, or several fields' messages, as one invalid-input refusal.</summary>
    public static CaseInputException Invalid(IEnumerable<(string Field, string Message)> problems) =>
        new(InputProblem.Invalid, problems.GroupBy(p => p.Field).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()));
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
