using Microsoft.AspNetCore.Components.Server.Circuits;

namespace ApprovalSystem.Web.Infrastructure;

/// <summary>
/// Whether this interactive page's browser is still connected. When a tab closes or the network drops, Blazor keeps the
/// circuit for minutes in case the browser returns; live pages listen to this to stop their subscriptions at once and
/// take them up again (with fresh data) if the browser comes back.
/// </summary>
public sealed class CircuitPresence : CircuitHandler
{
    private bool _connected = true;

    public bool Connected => Volatile.Read(ref _connected);

    /// <summary>Raised with true when the browser reconnects, false when its connection goes down.</summary>
    public event Action<bool>? Changed;

    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        Set(true);
        return Task.CompletedTask;
    }

    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        Set(false);
        return Task.CompletedTask;
    }

    private void Set(bool connected)
    {
        if (Volatile.Read(ref _connected) != connected)
        {
            Volatile.Write(ref _connected, connected);
            Changed?.Invoke(connected);
        }
    }
}
