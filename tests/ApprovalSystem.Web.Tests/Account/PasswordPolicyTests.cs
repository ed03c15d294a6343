using ApprovalSystem.Web.Data;
using ApprovalSystem.Web.Infrastructure.Security;
using ApprovalSystem.Web.Infrastructure.Seeding;
using ApprovalSystem.Web.Tests.Infrastructure;

namespace ApprovalSystem.Web.Tests.Account;

/// <summary>The password rule (issue 15, item 6; ASVS 6.2): length, no common or breached password, no composition rules.</summary>
public sealed class PasswordPolicyTests(AppFactory factory) : IClassFixture<AppFactory>
{
    private static readonly ApplicationUser Applicant = new() { UserName = "330799198503120016", ApplicantType = ApplicantType.Citizen, PhoneNumber = "13912345678" };

    private static readonly ApplicationUser Staff = new() { UserName = "zhang.scjg" };

    [Theory]
    [InlineData("password1")] // the example
    [InlineData("secret123")]
    [InlineData("Qwerty2026!")] // a common word with a year and a symbol added
    [InlineData("woaini1314")] // common in China
    [InlineData("1qaz2wsx")]
    [InlineData("PASSWORD")]
    public void CommonAndBreachedPasswords_AreRefused_WhateverTheirCaseAndEnding(string password)
    {
        Assert.True(PasswordPolicy.IsCommon(password));
        Assert.Contains("常见", PasswordPolicy.Check(Applicant, password), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("qingshan-lushui7")]
    [InlineData("山高水长，海阔天空")] // no digit, no Latin letter: no composition rule refuses it
    [InlineData("correct horse battery staple")]
    public void LongUncommonPasswords_AreAccepted_WithoutCompositionRules(string password) =>
        Assert.Null(PasswordPolicy.Check(Applicant, password));

    [Fact]
    public void StaffNeedTwelveCharacters_ApplicantsEight_AndNoneMayUseTheirOwnNumbers()
    {
        Assert.Null(PasswordPolicy.Check(Applicant, "lushui-7"));
        Assert.Contains("至少 12 位", PasswordPolicy.Check(Staff, "lushui-qing7"[..11]), StringComparison.Ordinal);
        Assert.Null(PasswordPolicy.Check(Staff, "lushui-qing7"));
        Assert.Contains("手机号", PasswordPolicy.Check(Applicant, "my13912345678"), StringComparison.Ordinal);
        Assert.Contains("证件号码", PasswordPolicy.Check(Applicant, "x330799198503120016"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registering_WithACommonPassword_IsRefusedOnTheField_AndCreatesNoAccount()
    {
        var session = new BrowserSession(factory.CreateBrowserClient());
        var response = await session.SubmitFormAsync("/account/register", new Dictionary<string, string>
        {
            ["Input.Name"] = "钱多多", ["Input.IdNumber"] = "330799199001011236", ["Input.Phone"] = "13912340001",
            ["Input.Password"] = "password1", ["Input.ConfirmPassword"] = "password1",
        }, "register");

        Assert.Contains("常见或已泄露的密码", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(factory.CreateDbContext().Users.Any(u => u.UserName == "330799199001011236"));
    }

    [Fact]
    public async Task AStaffMember_CannotChangeToAShortOrCommonPassword_ButToALongOne()
    {
        var session = new BrowserSession(factory.CreateBrowserClient());
        await session.SignInAsync("supervisor", DemoAccounts.Password);

        async Task<string> ChangeAsync(string next) => await (await session.SubmitFormAsync("/account/password", new Dictionary<string, string>
        {
            ["Input.Current"] = DemoAccounts.Password, ["Input.New"] = next, ["Input.Confirm"] = next,
        }, "password")).Content.ReadAsStringAsync();

        var tooShort = await ChangeAsync("lushui-7x");
        Assert.Contains("工作人员的密码至少 12 位", tooShort, StringComparison.Ordinal);
        Assert.DoesNotContain("密码至少8位", tooShort, StringComparison.Ordinal); // one rule, one message
        Assert.Contains("工作人员的密码至少 12 位", await ChangeAsync("short"), StringComparison.Ordinal);
        Assert.Contains("常见或已泄露的密码", await ChangeAsync("password12345"), StringComparison.Ordinal);
        Assert.Contains("密码已修改", await ChangeAsync("yunxi window 2026"), StringComparison.Ordinal);
    }
}
