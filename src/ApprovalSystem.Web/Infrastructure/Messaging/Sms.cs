using System.Net.Http.Headers;
using System.Net.Http.Json;
using ApprovalSystem.Web.Data;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ApprovalSystem.Web.Infrastructure.Messaging;

/// <summary>The <c>Sms</c> section of the configuration (decision 0041).</summary>
public sealed class SmsOptions
{
    /// <summary><c>Outbox</c> (the default: texts stay in the database table, sent nowhere) or <c>Http</c> (a centre's gateway).</summary>
    public string Provider { get; set; } = "Outbox";

    /// <summary>For <c>Http</c>: the gateway's address; each text is POSTed to it as JSON <c>{ "mobile": …, "text": … }</c>.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>For <c>Http</c>: the bearer token the gateway expects.</summary>
    public string? Token { get; set; }

    /// <summary>Demo only: the registration page shows the text it "sent" (never in production; the host refuses it there).</summary>
    public bool ShowOnPage { get; set; }

    public bool UsesHttp => string.Equals(Provider, "Http", StringComparison.OrdinalIgnoreCase);
}

/// <summary>The SMS gateway: hands one text to whatever delivers it to the phone.</summary>
public interface ISmsSender
{
    /// <summary>Whether texts leave the outbox at all (false: they are only kept in the table).</summary>
    bool Delivers { get; }

    Task SendAsync(string mobile, string text, CancellationToken cancellationToken);
}

/// <summary>The default: nothing leaves the building; the outbox table is the record (administrators read it at /admin/sms).</summary>
public sealed class OutboxOnlySmsSender : ISmsSender
{
    public bool Delivers => false;

    public Task SendAsync(string mobile, string text, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>A centre's SMS gateway over HTTP: POST JSON <c>{ mobile, text }</c> with the configured bearer token; 2xx is accepted.</summary>
public sealed class HttpSmsSender(HttpClient client, IOptions<SmsOptions> options) : ISmsSender
{
    public bool Delivers => true;

    public async Task SendAsync(string mobile, string text, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var request = new HttpRequestMessage(HttpMethod.Post, settings.Endpoint
            ?? throw new InvalidOperationException("Sms:Provider is Http but Sms:Endpoint is not set."))
        {
            Content = JsonContent.Create(new { mobile, text }),
        };
        if (!string.IsNullOrEmpty(settings.Token))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.Token);
        }

        using var response = await client.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
    }
}

/// <summary>
/// Puts texts into the outbox table with the caller's unit of work and, once saved, queues their delivery as a background
/// job: a page never waits for the gateway, so its answer takes the same time whichever text it queued.
/// </summary>
public sealed class SmsOutbox(ISmsSender sender, IBackgroundJobClient jobs, TimeProvider time)
{
    /// <summary>Adds the text to <paramref name="db"/>; saved by the caller's SaveChanges, then <see cref="Dispatch"/>.</summary>
    public SmsMessage Add(AppDbContext db, string mobile, string text)
    {
        var message = new SmsMessage { Mobile = mobile, Text = text, CreatedAt = time.GetUtcNow() };
        db.SmsMessages.Add(message);
        return message;
    }

    /// <summary>Queues the delivery of a saved text (nothing for the <c>Outbox</c> provider).</summary>
    public void Dispatch(SmsMessage saved)
    {
        if (sender.Delivers)
        {
            var id = saved.Id;
            jobs.Enqueue<SmsDelivery>(d => d.DeliverAsync(id, CancellationToken.None));
        }
    }
}

/// <summary>The background job that hands one queued text to the gateway; safe to run twice (a sent text is not sent again).</summary>
public sealed class SmsDelivery(AppDbContext db, ISmsSender sender, TimeProvider time, ILogger<SmsDelivery> log)
{
    public async Task DeliverAsync(long id, CancellationToken cancellationToken)
    {
        if (await db.SmsMessages.SingleOrDefaultAsync(m => m.Id == id, cancellationToken) is not { SentAt: null } message)
        {
            return;
        }

        message.Attempts++;
        try
        {
            await sender.SendAsync(message.Mobile, message.Text, cancellationToken);
            message.SentAt = time.GetUtcNow();
            message.LastError = null;
        }
        catch (HttpRequestException e)
        {
            message.LastError = e.Message.Length > SmsMessage.ErrorLength ? e.Message[..SmsMessage.ErrorLength] : e.Message;
            await db.SaveChangesAsync(cancellationToken);
            Security.SecurityLog.SmsDeliveryFailed(log, id, message.Attempts, message.LastError);
            throw; // Hangfire retries later
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}

public static class SmsModule
{
    public static IServiceCollection AddSms(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var section = configuration.GetSection("Sms");
        services.Configure<SmsOptions>(section);

        // A code shown on the page is no out-of-band check: only a development host may show it, whatever the configuration says.
        services.PostConfigure<SmsOptions>(o => o.ShowOnPage &= environment.IsDevelopment());
        if (section.Get<SmsOptions>() is { UsesHttp: true })
        {
            services.AddHttpClient<ISmsSender, HttpSmsSender>(c => c.Timeout = TimeSpan.FromSeconds(15));
        }
        else
        {
            services.AddSingleton<ISmsSender, OutboxOnlySmsSender>();
        }

        services.AddScoped<SmsOutbox>();
        services.AddScoped<SmsDelivery>();
        return services;
    }
}
