using ApprovalSystem.Web.Infrastructure.Seeding;

namespace ApprovalSystem.Web.Infrastructure;

/// <summary>What a person starting the system needs to know, printed once at start.</summary>
public static class StartupReport
{
    public static void Print(WebApplication app, DatabaseOptions database, string dataFolder)
    {
        var workflows = app.Services.GetRequiredService<WorkflowRegistry>();
        var lines = new List<string>
        {
            "",
            "==== 网上行政审批暨电子监察系统 ApprovalSystem ====",
            $"Environment: {app.Environment.EnvironmentName}",
            $"Database:    {database.Provider}" + (database.Provider == DatabaseProvider.Sqlite ? $" ({database.ConnectionString})" : ""),
            $"Data folder: {dataFolder}",
            $"Workflows:   {workflows.Definitions.Count} loaded from {workflows.Folder}",
        };
        lines.AddRange(workflows.Errors.Select(e => "  WORKFLOW ERROR " + e));
        try
        {
            // The whole chain, in lookup order: an operator sees which fonts print rare characters (and which were skipped).
            lines.Add("CJK fonts:");
            lines.AddRange(app.Services.GetRequiredService<Documents.DocumentRenderer>().Font.Describe().Select(l => "  " + l));
        }
        catch (Documents.FontMissingException e)
        {
            lines.Add("CJK font:    MISSING — " + e.Message);
        }
        if (app.Environment.IsDevelopment())
        {
            lines.Add(DemoAccounts.Describe());
        }

        lines.Add("Open the address printed below (\"Now listening on\") in a browser.");
        lines.Add("");
        Console.WriteLine(string.Join(Environment.NewLine, lines));
    }
}
