using System.Net;
using System.Net.Http.Json;
using ApprovalSystem.Core.Cases;
using ApprovalSystem.Web.Features.Exchange;
using ApprovalSystem.Web.Features.Exchange.Resources;
using ApprovalSystem.Web.Features.Exchange.Systems;
using ApprovalSystem.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ApprovalSystem.Web.Tests.Exchange;

/// <summary>The resource catalogue: field-level grants, the read log, and prefill from granted fields.</summary>
public sealed class ExchangeResourceTests(AppFactory factory) : IClassFixture<AppFactory>
{
    private const string Enterprise = "91330799MA2K3L4N5T";

    [Fact]
    public async Task Query_ReturnsOnlyGrantedFields_RefusedFieldNeverInResponseOrLog()
    {
        var issued = await factory.Get<LineSystems.Handler>().RegisterAsync(new LineSystems.Command("SW-" + Guid.NewGuid().ToString("N")[..6], "税务征管系统", "SW", null));
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeys.Header, issued.ApiKey);
        var url = $"/api/exchange/resources/{ExchangeSeed.Enterprises}/records/query";
        var query = new { key = Enterprise, purpose = "税务登记核验" };

        var before = await client.PostAsJsonAsync(url, query);
        Assert.Equal(HttpStatusCode.Forbidden, before.StatusCode);

        var requested = await client.PostAsJsonAsync($"/api/exchange/resources/{ExchangeSeed.Enterprises}/requests", new { fields = new[] { "企业名称", "住所", "法定代表人" }, purpose = "税务登记核验" });
        Assert.Equal(HttpStatusCode.OK, requested.StatusCode);
        var request = (await requested.Content.ReadFromJsonAsync<AccessRequestDto>())!;
        var catalogue = factory.Get<ResourceCatalogue>();
        await Assert.ThrowsAsync<ApprovalSystem.Core.Cases.CaseRuleException>(() => catalogue.DecideAsync(request.Id, new Dictionary<string, bool> { ["法定代表人"] = true }, "SW", "冒充者"));
        await catalogue.DecideAsync(request.Id, new Dictionary<string, bool> { ["企业名称"] = true, ["住所"] = true, ["法定代表人"] = false }, "SCJG", "市场监管局");

        var response = await client.PostAsJsonAsync(url, query);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("云溪县绿源食品有限公司", text, StringComparison.Ordinal);
        Assert.Contains("住所", text, StringComparison.Ordinal);
        Assert.DoesNotContain("法定代表人", text, StringComparison.Ordinal);
        Assert.DoesNotContain("陈明", text, StringComparison.Ordinal);
        Assert.DoesNotContain("注册资本", text, StringComparison.Ordinal);
        await using var db = factory.CreateDbContext();
        var logs = await db.ResourceReadLog.AsNoTracking().Where(l => l.Consumer == "SW").ToListAsync();
        var log = Assert.Single(logs);
        Assert.Equal("税务登记核验", log.Purpose);
        Assert.Equal(issued.System.Code, log.Reader);
        Assert.Equal(["企业名称", "住所"], log.Fields.Split('|'));
        Assert.DoesNotContain(Enterprise, log.Key, StringComparison.Ordinal);
        var providerView = (await catalogue.ReadLogAsync("SCJG", null, 0, 50)).Rows;
        Assert.Contains(providerView, l => l.Consumer == "SW" && !l.Fields.Contains("法定代表人"));
    }

    [Fact]
    public async Task Query_WithoutPurpose_IsRefused()
    {
        var issued = await factory.Get<LineSystems.Handler>().RegisterAsync(new LineSystems.Command("GA-" + Guid.NewGuid().ToString("N")[..6], "公安系统", "GA", null));
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeys.Header, issued.ApiKey);

        var response = await client.PostAsJsonAsync($"/api/exchange/resources/{ExchangeSeed.Enterprises}/records/query", new { key = Enterprise });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("目的", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prefill_ByCreditCode_FillsGrantedFieldsWithSource_AndLogsTheRead()
    {
        var values = await factory.Get<Prefill>().LookupAsync(ApplicantIdType.CreditCode, Enterprise, ExchangeSetup.CentreDepartment, "李晓梅");

        Assert.Equal("云溪县绿源食品有限公司", values.Single(v => v.Field == "企业名称").Value);
        Assert.Equal("云溪县城关镇解放路18号", values.Single(v => v.Field == "住所").Value);
        Assert.DoesNotContain(values, v => v.Field == "注册资本");
        Assert.All(values, v => Assert.StartsWith("来自 ", v.Source, StringComparison.Ordinal));
        Assert.All(values, v => Assert.EndsWith("企业登记信息", v.Source, StringComparison.Ordinal));
        await using var db = factory.CreateDbContext();
        Assert.True(await db.ResourceReadLog.AnyAsync(l => l.Consumer == ExchangeSetup.CentreDepartment && l.Reader == "李晓梅" && l.Purpose == Prefill.WindowPurpose));
    }

    [Fact]
    public async Task Prefill_ByResidentId_FillsName_ThroughTheApiForAClerk()
    {
        var clerk = await ApiSession.SignInAsync(factory, "clerk");

        var values = await clerk.PostOkAsync("/api/exchange/prefill", new { idType = "ResidentId", idNumber = "330799198503120016" });

        Assert.Contains(values.EnumerateArray(), v => v.GetProperty("field").GetString() == "姓名" && v.GetProperty("value").GetString() == "张伟");
    }

    [Fact]
    public async Task Prefill_ForAnotherResident_IsRefusedToAnApplicant_NothingReadOrLogged_ButTheirOwnIsServed()
    {
        var citizen = await ApiSession.SignInAsync(factory, "citizen");
        var enterprise = await ApiSession.SignInAsync(factory, "enterprise");
        await using var db = factory.CreateDbContext();
        var readsBefore = await db.ResourceReadLog.CountAsync();

        // 王秀英 is another resident in the population resource: a signed-in citizen may not read her name or address.
        var (other, problem) = await citizen.PostAsync("/api/exchange/prefill", new { idType = "ResidentId", idNumber = "330799195208170025" });
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal("application/problem+json", other.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("王秀英", problem.ToString(), StringComparison.Ordinal);
        Assert.Contains("本人", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // Nor may an enterprise read another enterprise, nor a citizen an enterprise.
        var (otherFirm, _) = await enterprise.PostAsync("/api/exchange/prefill", new { idType = "CreditCode", idNumber = "91330799MA2B7C8D95" });
        Assert.Equal(HttpStatusCode.Forbidden, otherFirm.StatusCode);
        var (firm, _) = await citizen.PostAsync("/api/exchange/prefill", new { idType = "CreditCode", idNumber = Enterprise });
        Assert.Equal(HttpStatusCode.Forbidden, firm.StatusCode);
        Assert.Equal(readsBefore, await db.ResourceReadLog.CountAsync());

        // Their own data they may prefill (lower-case x or spaces make no difference), and the read says so.
        var own = await citizen.PostOkAsync("/api/exchange/prefill", new { idType = "ResidentId", idNumber = "330799198503120016" });
        Assert.Contains(own.EnumerateArray(), v => v.GetProperty("value").GetString() == "张伟");
        var ownFirm = await enterprise.PostOkAsync("/api/exchange/prefill", new { idType = "CreditCode", idNumber = Enterprise });
        Assert.Contains(ownFirm.EnumerateArray(), v => v.GetProperty("value").GetString() == "云溪县绿源食品有限公司");
        Assert.True(await db.ResourceReadLog.AnyAsync(l => l.Reader == "张伟" && l.Purpose == Prefill.SelfPurpose));
    }

    [Fact]
    public async Task Prefill_ByAnAgent_ServesTheResidentTheyFileFor_LoggedAsTheAgentsFiling()
    {
        var agent = await ApiSession.SignInAsync(factory, "agent");

        var values = await agent.PostOkAsync("/api/exchange/prefill", new { idType = "ResidentId", idNumber = "330799195208170025" });

        Assert.Contains(values.EnumerateArray(), v => v.GetProperty("value").GetString() == "王秀英");
        await using var db = factory.CreateDbContext();
        var log = await db.ResourceReadLog.AsNoTracking().Where(l => l.Purpose == Prefill.AgentPurpose).ToListAsync();
        Assert.Contains(log, l => l.Reader.StartsWith("王芳（代办员", StringComparison.Ordinal) && l.Consumer == ExchangeSetup.CentreDepartment);
    }
}
