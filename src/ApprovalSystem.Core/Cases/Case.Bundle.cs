namespace ApprovalSystem.Core.Cases;

/// <summary>A member case of a bundle 一件事 (decision 0054): numbered at filing even while it waits for another member.</summary>
public sealed partial class Case
{
    /// <summary>
    /// Gives a draft that waits for another member of its bundle its number and query code now, with the others: it stays a draft
    /// (no review clock, no cards) until the member it waits for concludes, when it is submitted and accepted under this number.
    /// </summary>
    public void NumberWhileWaiting(string number, string queryCode, string waitsFor, CaseActor actor, DateTimeOffset now)
    {
        Guard(CaseTrigger.SaveDraft);
        RequireFiler(actor);
        if (Number is not null)
        {
            throw new CaseRuleException($"办件已有编号{Number}");
        }

        Number = number;
        QueryCode = queryCode;
        Record(CaseTrigger.SaveDraft, now, actor, null, State, ("number", number), ("waitsFor", waitsFor));
    }
}
