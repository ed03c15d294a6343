using ApprovalSystem.Core.Cases;
using ApprovalSystem.Web.Infrastructure;
using FluentValidation;

namespace ApprovalSystem.Web.Features.Bundles.Pages;

/// <summary>Runs a bundle act for a page and turns a refusal into what the person reads: one message, or one per field.</summary>
public static class BundlePageActs
{
    /// <summary>Null when the act succeeded; otherwise the refusals by field (<c>formData.x</c>, <c>answers.y</c>, or "" for the whole).</summary>
    public static async Task<Dictionary<string, string>?> TryAsync(Func<Task> act)
    {
        try
        {
            await act();
            return null;
        }
        catch (CaseInputException e)
        {
            return e.Errors.ToDictionary(x => x.Key, x => string.Join("；", x.Value.Distinct()));
        }
        catch (ValidationException e)
        {
            return e.Errors.GroupBy(x => x.PropertyName).ToDictionary(g => g.Key, g => string.Join("；", g.Select(x => x.ErrorMessage).Distinct()));
        }
        catch (CaseRuleException e)
        {
            return new() { [""] = e.Message };
        }
        catch (CaseNotFoundException e)
        {
            return new() { [""] = e.Message };
        }
    }

    /// <summary>The refusals as one line.</summary>
    public static string? Text(Dictionary<string, string>? problems) => problems is null ? null : string.Join("；", problems.Values.Distinct());
}
