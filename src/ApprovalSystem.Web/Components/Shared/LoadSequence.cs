namespace ApprovalSystem.Web.Components.Shared;

/// <summary>
/// Numbers a page's loads so that a slow earlier load never overwrites a later one. An act reloads the page after it ran;
/// a second act started while the first reload was still reading (a click during the round trip) starts its own reload,
/// and only the last one started may show what it read.
/// </summary>
public sealed class LoadSequence
{
    private int _latest;

    /// <summary>Starts a load and returns its number.</summary>
    public int Next() => Interlocked.Increment(ref _latest);

    /// <summary>Whether the load numbered <paramref name="load"/> is still the last one started.</summary>
    public bool IsLatest(int load) => Volatile.Read(ref _latest) == load;
}
