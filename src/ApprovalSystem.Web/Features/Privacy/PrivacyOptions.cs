namespace ApprovalSystem.Web.Features.Privacy;

/// <summary>How long personal data that no longer serves a procedure is kept (section "Privacy"; docs/privacy.md).</summary>
public sealed class PrivacyOptions
{
    /// <summary>A draft 草稿 not saved for this many days is deleted with its uploaded files.</summary>
    public int DraftRetentionDays { get; set; } = 180;

    /// <summary>
    /// The uploaded files of a case not accepted 不予受理 or withdrawn 撤回 are deleted this many days after it ended (the
    /// case, its decision and its journal stay: they are the record of the procedure).
    /// </summary>
    public int RejectedUploadRetentionDays { get; set; } = 30;
}
