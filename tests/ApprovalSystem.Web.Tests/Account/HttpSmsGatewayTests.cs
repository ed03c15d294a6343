using System.Net;
using System.Text.Json;
using ApprovalSystem.Core.Identity;
using ApprovalSystem.Web.Infrastructure.Messaging;
using ApprovalSystem.Web.Tests.Exchange;
using ApprovalSystem.Web.Tests.Infrastructure;
using Hangfire;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ApprovalSystem.Web.Tests.Account;

/// <summary>
/// <c>Sms:Provider=Http</c> (decision 0041): the page only queues the text; a background job POSTs <c>{ mobile, text }</c> to the
/// centre's gateway with its bearer token, once.
/// </summary>
public sealed class HttpSmsGatewayTests(HttpSmsGatewayTests.GatewayFactory factory) : IClassFixture<HttpSmsGatewayTests.GatewayFactory>
{
    public sealed class GatewayFactory : AppFactory
    {
        protected override bool FromTemplate => true; // settings of its own, the same first start

        public SmsGateway Gateway { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Sms:Provider", "Http");
            builder.UseSetting("Sms:Endpoint", Gateway.Url);
            builder.UseSetting("Sms:Token", "gateway-token-0041");
        }

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            Gateway.Dispose();
        }
    }

    /// <summary>A loopback stand-in for the centre's SMS gateway: records each POST, answers 200.</summary>
    public sealed class SmsGateway : IDisposable
    {
        private readonly HttpListener _listener = new();

        public SmsGateway()
        {
            Url = $"http://127.0.0.1:{ConnectionProbe.FreePort()}/sms/";
            _listener.Prefixes.Add(Url);
            _listener.Start();
            _ = Task.Run(LoopAsync);
        }

        public string Url { get; }

        public List<(string Method, string? Authorization, string ContentType, string Body)> Received { get; } = [];

        private async Task LoopAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext ctx;
                try
                {
                    ctx = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using var reader = new StreamReader(ctx.Request.InputStream);
                var body = await reader.ReadToEndAsync();
                lock (Received)
                {
                    Received.Add((ctx.Request.HttpMethod, ctx.Request.Headers["Authorization"], ctx.Request.ContentType ?? "", body));
                }

                ctx.Response.StatusCode = 200;
                ctx.Response.Close();
            }
        }

        public void Dispose() => _listener.Close();
    }

    [Fact]
    public async Task HttpProvider_PageOnlyQueues_ThenTheJobPostsMobileAndTextAsJsonWithTheToken_Once()
    {
        const string mobile = "13877770001";
        var fields = RegistrationSteps.Citizen("周二", "33079919900101125" + ResidentIdNumber.CheckCharacterFor("33079919900101125"), mobile);

        var stepOne = await RegistrationSteps.RequestCodeAsync(new BrowserSession(factory.CreateBrowserClient()), fields);

        Assert.Contains("验证码已发送至", stepOne, StringComparison.Ordinal);
        Assert.Empty(factory.Gateway.Received); // the answer did not wait for the gateway
        long id;
        string text;
        await using (var db = factory.CreateDbContext())
        {
            var queued = await db.SmsMessages.SingleAsync(m => m.Mobile == mobile);
            Assert.Null(queued.SentAt);
            (id, text) = (queued.Id, queued.Text);
        }

        var jobs = factory.Services.GetRequiredService<JobStorage>().GetMonitoringApi().EnqueuedJobs("default", 0, 100);
        Assert.Contains(jobs, j => j.Value.Job.Type == typeof(SmsDelivery) && j.Value.Job.Args[0] is long queuedId && queuedId == id);

        await factory.Get<SmsDelivery>().DeliverAsync(id, CancellationToken.None);
        await factory.Get<SmsDelivery>().DeliverAsync(id, CancellationToken.None); // a second run sends nothing more

        var received = Assert.Single(factory.Gateway.Received);
        Assert.Equal("POST", received.Method);
        Assert.Equal("Bearer gateway-token-0041", received.Authorization);
        Assert.StartsWith("application/json", received.ContentType, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(received.Body);
        Assert.Equal(mobile, json.RootElement.GetProperty("mobile").GetString());
        Assert.Equal(text, json.RootElement.GetProperty("text").GetString());
        Assert.NotNull(RegistrationSteps.CodeIn(text));
        await using (var db = factory.CreateDbContext())
        {
            Assert.NotNull((await db.SmsMessages.SingleAsync(m => m.Id == id)).SentAt);
        }
    }
}
