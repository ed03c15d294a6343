using ApprovalSystem.Web.Infrastructure;

namespace ApprovalSystem.Web.Features.Cases.Queries;

/// <summary>
/// Keeps the public progress lookup 办件查询 from being used to guess query codes: case numbers are
/// sequential and a query code has six digits, so without a limit the cases of a day could be found
/// by trying codes. Wrong attempts are counted per client (an address, or one open lookup page) and
/// per case number, in the database so every node counts alike (<see cref="SharedCounters"/>); past the
/// limit the lookup answers "too many attempts" until the window passes, even with the right code.
/// Right answers never count.
/// </summary>
public sealed class LookupGuard(SharedCounters counters, TimeProvider clock)
{
    /// <summary>Wrong attempts one client may make in <see cref="ClientWindow"/>.</summary>
    public const int ClientLimit = 10;

    /// <summary>Wrong attempts on one case number, from anywhere, in <see cref="NumberWindow"/>.</summary>
    public const int NumberLimit = 20;

    public static readonly TimeSpan ClientWindow = TimeSpan.FromMinutes(10);

    public static readonly TimeSpan NumberWindow = TimeSpan.FromHours(1);

    /// <summary>What a blocked client is told.</summary>
    public const string BlockedMessage = "查询码错误次数过多，请10分钟后再试。如查询码遗失，请携带身份证件到政务服务中心窗口查询。";

    public async Task<bool> IsBlockedAsync(string client, string number, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var counts = await counters.ReadAsync([ClientKey(client), NumberKey(number)], ct);
        return counts[0].Within(ClientWindow, now) >= ClientLimit || counts[1].Within(NumberWindow, now) >= NumberLimit;
    }

    public async Task FailedAsync(string client, string number, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await counters.AddAsync(ClientKey(client), ClientWindow, now, ct);
        await counters.AddAsync(NumberKey(number), NumberWindow, now, ct);
    }

    private static string ClientKey(string client) => "lookup:client:" + client;

    private static string NumberKey(string number) => "lookup:number:" + number.Trim();
}
