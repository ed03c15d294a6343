using ApprovalSystem.Core.Cases;
using ApprovalSystem.Web.Infrastructure;
using FluentValidation;

namespace ApprovalSystem.Web.Features.Cases.Detail;

/// <summary>Runs an act for a page and turns refusals into the message to show (Chinese, actionable).</summary>
public sealed class CaseActions
{
    /// <summary>Returns null when the act succeeded, otherwise the message for the person.</summary>
    public static async Task<string?> TryAsync(Func<Task> act)
    {
        try
        {
            await act();
            return null;
        }
        catch (ValidationException e)
        {
            return string.Join("；", e.Errors.Select(x => x.ErrorMessage).Distinct());
        }
        catch (CaseRuleException e)
        {
            return e.Message;
        }
        catch (CaseNotFoundException e)
        {
            return e.Message;
        }
    }
}
