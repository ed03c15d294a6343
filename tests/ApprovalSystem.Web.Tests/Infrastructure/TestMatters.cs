namespace ApprovalSystem.Web.Tests.Infrastructure;

/// <summary>The shipped matters the tests file when they want a kind of matter rather than that matter (decision 0058).</summary>
public static class TestMatters
{
    /// <summary>
    /// A joint matter 联办件 that is one matter, not a bundle: 二手房转移登记及税费联办 — 登记审核 (BDC) and 契税征收 (SW) in parallel,
    /// then 登簿 (BDC's head); six required materials, an ID-card field (buyerIdNumber). The old 开办企业“一件事”联办 the tests filed
    /// before is replaced by a bundle and takes no new filing.
    /// </summary>
    public const string Joint = "330799-BDC-001";

    /// <summary>A joint matter replaced by a bundle (开办企业“一件事”联办 → 330799-YJS-001 开办企业一件事): refused for new filings.</summary>
    public const string Replaced = "330799-SCJG-001";

    /// <summary>The bundle that replaces <see cref="Replaced"/>.</summary>
    public const string ReplacedBy = "330799-YJS-001";
}
