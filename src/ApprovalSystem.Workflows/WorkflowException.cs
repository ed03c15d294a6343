namespace ApprovalSystem.Workflows;

/// <summary>An act the workflow does not allow (wrong person, closed work item, outcome not offered …); the message says why.</summary>
public sealed class WorkflowException : Exception
{
    public WorkflowException()
    {
    }

    public WorkflowException(string message)
        : base(message)
    {
    }

    public WorkflowException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The condition step that could not be evaluated, when that is why.</summary>
    public string? StepId { get; init; }

    /// <summary>The field the condition compares and the case data lacks, when that is why.</summary>
    public string? MissingField { get; init; }
}
