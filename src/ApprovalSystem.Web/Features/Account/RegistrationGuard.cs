using ApprovalSystem.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Features.Account;

/// <summary>
/// Limits how often registration texts a mobile number and how often one client address asks (ASVS 6.3.8 and 2.4.1; issue 15
/// item 5; decision 0041). Registration answers the same whether an identifier is taken or not, and only the text to the
/// mobile number tells; so the limits are what keep that channel from testing a list of ID numbers: per mobile number one
/// text a minute and <see cref="MobileDailyLimit"/> a day, per address <see cref="AddressHourlyLimit"/> an hour. They count
/// the requests in the database (<see cref="PendingRegistration"/> rows), so every node sees the same counts; none of them
/// depends on the identifier, so a refusal says nothing about it either.
/// </summary>
public sealed class RegistrationGuard(AppDbContext db, TimeProvider clock)
{
    public static readonly TimeSpan MobileInterval = TimeSpan.FromMinutes(1);

    public const int MobileDailyLimit = 5;

    public static readonly TimeSpan MobileWindow = TimeSpan.FromDays(1);

    public const int AddressHourlyLimit = 10;

    public static readonly TimeSpan AddressWindow = TimeSpan.FromHours(1);

    public const string MobileIntervalMessage = "同一手机号码1分钟内只能获取一次验证码，请稍后再试。";

    public const string MobileDailyMessage = "该手机号码24小时内获取验证码的次数已达上限，请明天再试。如已注册但忘记密码，请携带身份证件到政务服务中心窗口办理。";

    /// <summary>What a busy address is told.</summary>
    public const string BlockedMessage = "注册尝试过于频繁，请1小时后再试。如已注册但忘记密码，请携带身份证件到政务服务中心窗口办理。";

    /// <summary>The message for the first limit this request would exceed, or null.</summary>
    public async Task<string?> RefusalAsync(string mobile, string client, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var minuteAgo = now - MobileInterval;
        var dayAgo = now - MobileWindow;
        var hourAgo = now - AddressWindow;
        if (await db.PendingRegistrations.AnyAsync(p => p.Mobile == mobile && p.CreatedAt > minuteAgo, cancellationToken))
        {
            return MobileIntervalMessage;
        }

        if (await db.PendingRegistrations.CountAsync(p => p.Mobile == mobile && p.CreatedAt > dayAgo, cancellationToken) >= MobileDailyLimit)
        {
            return MobileDailyMessage;
        }

        return await db.PendingRegistrations.CountAsync(p => p.ClientAddress == client && p.CreatedAt > hourAgo, cancellationToken) >= AddressHourlyLimit
            ? BlockedMessage
            : null;
    }
}
