using ApprovalSystem.Web.Infrastructure;

namespace ApprovalSystem.Web.Features.Account;

/// <summary>
/// Keeps registration from being used to find out who has an account (ASVS 6.3.8; issue 15 item 5). Registration must
/// say when an ID number or credit code is registered already — the person needs to know to sign in instead — so each
/// such answer is counted per client address, and past <see cref="TakenLimit"/> in <see cref="Window"/> that address may
/// not register at all until the window passes. A person who registered once and forgot gets the answer a few times; a
/// script testing a list of ID numbers gets five an hour per address, on all nodes together (<see cref="SharedCounters"/>).
/// The answer also costs the time of a new account (a password hash), so it cannot be told apart by its timing.
/// </summary>
public sealed class RegistrationGuard(SharedCounters counters, TimeProvider clock)
{
    /// <summary>"Already registered" answers one address may get in <see cref="Window"/>.</summary>
    public const int TakenLimit = 5;

    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    /// <summary>What a held address is told.</summary>
    public const string BlockedMessage = "注册尝试过于频繁，请1小时后再试。如已注册但忘记密码，请携带身份证件到政务服务中心窗口办理。";

    public async Task<bool> IsBlockedAsync(string client, CancellationToken ct = default) =>
        (await counters.ReadAsync([Key(client)], ct))[0].Within(Window, clock.GetUtcNow()) >= TakenLimit;

    public Task TakenAsync(string client, CancellationToken ct = default) => counters.AddAsync(Key(client), Window, clock.GetUtcNow(), ct);

    private static string Key(string client) => "register:" + client;
}
