using System.Net;
using ApprovalSystem.Web.Features.Exchange.Outbound;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting.Internal;

namespace ApprovalSystem.Web.Tests.Exchange;

/// <summary>The rules a webhook's address is held to, without the app: which addresses are public, https, allow-lists.</summary>
public sealed class WebhookTargetPolicyTests
{
    private static readonly WebhookOptions Default = new(AllowPrivateNetworks: false, RequireHttps: false);

    [Theory]
    [InlineData("8.8.8.8", true)]
    [InlineData("1.1.1.1", true)]
    [InlineData("100.63.255.255", true)]
    [InlineData("100.128.0.1", true)]
    [InlineData("172.32.0.1", true)]
    [InlineData("2606:4700:4700::1111", true)]
    [InlineData("::ffff:8.8.8.8", true)]
    [InlineData("0.1.2.3", false)]
    [InlineData("10.255.0.1", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("127.0.0.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("172.16.0.1", false)]
    [InlineData("172.31.255.255", false)]
    [InlineData("192.0.0.8", false)]
    [InlineData("192.0.2.1", false)]
    [InlineData("192.168.0.1", false)]
    [InlineData("198.18.0.1", false)]
    [InlineData("224.0.0.251", false)]
    [InlineData("255.255.255.255", false)]
    [InlineData("::", false)]
    [InlineData("::1", false)]
    [InlineData("::ffff:127.0.0.1", false)]
    [InlineData("::ffff:192.168.1.1", false)]
    [InlineData("::127.0.0.1", false)]
    [InlineData("64:ff9b::a00:1", false)]
    [InlineData("fc00::1", false)]
    [InlineData("fd12:3456::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("ff02::1", false)]
    [InlineData("2001:db8::1", false)]
    [InlineData("2001::1", false)]
    [InlineData("2002:7f00:1::1", false)]
    public void IsPublic_OnlyGloballyReachableUnicast(string address, bool expected) =>
        Assert.Equal(expected, WebhookTargetPolicy.IsPublic(IPAddress.Parse(address)));

    [Fact]
    public void Https_IsRequiredOutsideDevelopment_UnlessConfiguredOtherwise()
    {
        var empty = new ConfigurationBuilder().Build();
        Assert.False(WebhookOptions.Read(empty, new HostingEnvironment { EnvironmentName = "Development" }).RequireHttps);
        Assert.True(WebhookOptions.Read(empty, new HostingEnvironment { EnvironmentName = "Production" }).RequireHttps);
        Assert.False(WebhookOptions.Read(empty, new HostingEnvironment { EnvironmentName = "Production" }).AllowPrivateNetworks);
        var relaxed = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Exchange:Webhooks:RequireHttps"] = "false" }).Build();
        Assert.False(WebhookOptions.Read(relaxed, new HostingEnvironment { EnvironmentName = "Production" }).RequireHttps);

        var policy = new WebhookTargetPolicy(Default with { RequireHttps = true }, WebhookAllowList.Empty);
        Assert.Equal("回调地址必须使用 https", policy.CheckUrl(new Uri("http://8.8.8.8/hook")));
        Assert.Null(policy.CheckUrl(new Uri("https://8.8.8.8/hook")));
    }

    [Fact]
    public void Url_WithCredentials_IsRefused() =>
        Assert.Equal("回调地址不能包含用户名或密码", new WebhookTargetPolicy(Default, WebhookAllowList.Empty).CheckUrl(new Uri("https://u:p@8.8.8.8/hook")));

    [Fact]
    public void OptIn_AllowsLoopbackAndPrivate_ButNeverUnspecifiedOrMulticast()
    {
        var optIn = new WebhookTargetPolicy(Default with { AllowPrivateNetworks = true }, WebhookAllowList.Empty);
        Assert.Null(optIn.Refusal("h", IPAddress.Loopback));
        Assert.Null(optIn.Refusal("h", IPAddress.Parse("10.0.0.1")));
        Assert.NotNull(optIn.Refusal("h", IPAddress.Any));
        Assert.NotNull(optIn.Refusal("h", IPAddress.Parse("0.0.0.0")));
        Assert.NotNull(optIn.Refusal("h", IPAddress.IPv6Any));
        Assert.NotNull(optIn.Refusal("h", IPAddress.Parse("239.1.2.3")));
    }

    [Fact]
    public void AllowList_RangesOpenTheirPrivateAddresses_NeverLoopback_AndNarrowEverythingElse()
    {
        Assert.True(WebhookAllowList.TryParse(["10.20.0.0/16", "*.zj.example", "hook.sw.example"], out var list, out _));
        var policy = new WebhookTargetPolicy(Default, list);

        Assert.Null(policy.Refusal("10.20.1.5", IPAddress.Parse("10.20.1.5")));
        Assert.Null(policy.Refusal("x", IPAddress.Parse("::ffff:10.20.1.5")));
        Assert.Equal(WebhookTargetPolicy.NotListed, policy.Refusal("10.21.0.1", IPAddress.Parse("10.21.0.1")));
        Assert.Equal(WebhookTargetPolicy.NotListed, policy.Refusal("other.example", IPAddress.Parse("8.8.8.8")));
        Assert.Null(policy.Refusal("a.zj.example", IPAddress.Parse("8.8.8.8")));
        Assert.Null(policy.Refusal("hook.sw.example", IPAddress.Parse("8.8.8.8")));
        Assert.Equal(WebhookTargetPolicy.InternalAddress, policy.Refusal("hook.sw.example", IPAddress.Parse("192.168.1.1")));
        Assert.Equal(WebhookTargetPolicy.InternalAddress, policy.Refusal("a.zj.example", IPAddress.Loopback));
        Assert.Equal(WebhookTargetPolicy.NotListed, policy.CheckUrl(new Uri("https://8.8.4.4/hook")));

        Assert.False(WebhookAllowList.TryParse(["127.0.0.1"], out _, out var loopback));
        Assert.Contains("本机", loopback, StringComparison.Ordinal);
        Assert.False(WebhookAllowList.TryParse(["169.254.0.0/16"], out _, out _));
        Assert.False(WebhookAllowList.TryParse(["::1"], out _, out _));
        Assert.False(WebhookAllowList.TryParse(["10.0.0.0/7"], out _, out _));
        Assert.False(WebhookAllowList.TryParse(["localhost"], out _, out _));
    }

    [Fact]
    public void StoredAllowList_ThatNoLongerParses_LetsNothingThrough()
    {
        var policy = new WebhookTargetPolicy(Default, WebhookAllowList.Parse("not a list/99"));

        Assert.Equal(WebhookTargetPolicy.NotListed, policy.Refusal("hook.example", IPAddress.Parse("8.8.8.8")));
    }
}
