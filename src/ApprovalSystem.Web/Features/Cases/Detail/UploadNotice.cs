namespace ApprovalSystem.Web.Features.Cases.Detail;

/// <summary>The snackbar an upload shows: each upload replaces the last one's message instead of stacking on it.</summary>
public static class UploadNotice
{
    public const string Key = "material-upload";
}
