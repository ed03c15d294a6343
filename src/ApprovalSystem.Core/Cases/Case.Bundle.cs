using System.Text.Json;

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

    /// <summary>
    /// Fills a waiting member's empty form fields, before it starts, with what the members it waited for recorded (decision 0072: the new
    /// company's 统一社会信用代码, entered at its registration's 核准): nobody types it again. A value the applicant gave is kept. The
    /// journal names where the values came from, masked as a draft's changes are. Returns the keys filled.
    /// </summary>
    public IReadOnlyList<string> TakeFromEarlierMembers(IReadOnlyDictionary<string, string> values, IEnumerable<string> fieldKeys, string from,
        CaseActor actor, DateTimeOffset now)
    {
        Guard(CaseTrigger.SaveDraft);
        RequireFiler(actor);
        var taken = fieldKeys.Distinct()
            .Where(k => string.IsNullOrWhiteSpace(FormData.GetValueOrDefault(k)) && !string.IsNullOrWhiteSpace(values.GetValueOrDefault(k)))
            .ToDictionary(k => k, k => values[k].Trim(), StringComparer.Ordinal);
        if (taken.Count == 0)
        {
            return [];
        }

        var form = new Dictionary<string, string>(FormData);
        foreach (var (key, value) in taken)
        {
            form[key] = value;
        }

        FormData = form;
        Record(CaseTrigger.SaveDraft, now, actor, null, State, ("from", from),
            ("changed", JsonSerializer.Serialize(taken.ToDictionary(f => f.Key, f => MaskedValue(f.Value)), JournalJson)));
        return [.. taken.Keys];
    }
}
