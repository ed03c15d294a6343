namespace ApprovalSystem.Web.Infrastructure;

/// <summary>Where the system keeps its files: the SQLite database and, later, uploaded materials.</summary>
public sealed record StorageOptions(string DataFolder);
