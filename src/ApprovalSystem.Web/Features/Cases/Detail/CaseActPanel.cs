using ApprovalSystem.Core.Cases;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ApprovalSystem.Web.Features.Cases.Detail;

/// <summary>
/// The base of an act's panel on the case page (composed by <c>CaseActionPanel</c>): the case, the person, and
/// running an act — a refusal is kept in <see cref="Error"/> for the panel's <c>ActionError</c>, a success is
/// announced and the page told to reload the case.
/// </summary>
public abstract class CaseActPanel : ComponentBase
{
    private (long Id, int Version)? _shown;

    [Parameter, EditorRequired] public Case Case { get; set; } = default!;

    [Parameter, EditorRequired] public CaseActor Actor { get; set; } = default!;

    /// <summary>Raised after an act succeeded: the page reloads the case.</summary>
    [Parameter] public EventCallback Changed { get; set; }

    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    /// <summary>Why this panel's last act was refused; cleared when the case changes (an act succeeded on the page).</summary>
    protected string? Error { get; set; }

    protected sealed override async Task OnParametersSetAsync()
    {
        if (_shown == (Case.Id, Case.Version))
        {
            return;
        }

        _shown = (Case.Id, Case.Version);
        Error = null;
        await OnCaseChangedAsync();
    }

    /// <summary>The case is shown for the first time or was changed: the panel starts its inputs again from it.</summary>
    protected virtual Task OnCaseChangedAsync() => Task.CompletedTask;

    /// <summary>Runs the act; true when it succeeded (announced with <paramref name="done"/>, the page told to reload).</summary>
    protected async Task<bool> RunAsync(Func<Task> act, string done)
    {
        Error = await CaseActions.TryAsync(act);
        if (Error is not null)
        {
            return false;
        }

        Snackbar.Add(done, Severity.Success);
        await Changed.InvokeAsync();
        return true;
    }
}
