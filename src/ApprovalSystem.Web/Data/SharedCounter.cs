namespace ApprovalSystem.Web.Data;

/// <summary>
/// One counter of the limits every node must agree on (the public lookup, registration, sign-in, API keys, the exchange's
/// per-system budget; issue 17 item 3, decision 0042): attempts on <see cref="Key"/> in a fixed window that opens with the
/// first attempt, and an optional hold. Times are UTC ticks, so every provider compares them as plain integers.
/// </summary>
public class SharedCounter
{
    public string Key { get; set; } = "";

    public long WindowStart { get; set; }

    public int Count { get; set; }

    /// <summary>Until when the key is held back (sign-in's growing wait); 0 when it is not.</summary>
    public long BlockedUntil { get; set; }
}

/// <summary>Keys longer than the column (a typed account name, a pasted case number) are kept by their hash.</summary>
public static class SharedCounterKeys
{
    public const int MaxLength = 160;

    public static string Fit(string key) => key.Length <= MaxLength ? key
        : key[..64] + "#" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)));
}
