namespace ApprovalSystem.Web.Tests.Architecture;

/// <summary>
/// Rules read from the source text (issue 13): no line of C# or Razor under src/ (*.cs, *.razor) is wider than
/// <see cref="MaxLineLength"/> characters. Generated EF migrations (Data/Migrations) and build output (bin, obj) are exempt.
/// </summary>
public class SourceRulesTests
{
    private const int MaxLineLength = 160;

    [Fact]
    public void NoSourceLine_IsWiderThanTheLimit()
    {
        var src = Path.Combine(RepositoryRoot(), "src");
        var files = new[] { "*.cs", "*.razor" }
            .SelectMany(pattern => Directory.EnumerateFiles(src, pattern, SearchOption.AllDirectories))
            .Where(f => !Path.GetRelativePath(src, f).Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar)
                .Any(part => part is "bin" or "obj"))
            .Where(f => !Path.GetRelativePath(src, f).Replace('\\', '/').Contains("/Data/Migrations/", StringComparison.Ordinal))
            .ToList();

        var tooWide = files
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: f, Number: i + 1, line.Length)))
            .Where(l => l.Length > MaxLineLength)
            .Select(l => $"{Path.GetRelativePath(RepositoryRoot(), l.File).Replace('\\', '/')}:{l.Number} ({l.Length} characters)")
            .ToList();

        Assert.Contains(files, f => f.EndsWith(".cs", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith(".razor", StringComparison.Ordinal));
        Assert.True(tooWide.Count == 0,
            $"{tooWide.Count} line(s) wider than {MaxLineLength} characters; wrap them:{Environment.NewLine}{string.Join(Environment.NewLine, tooWide)}");
    }

    /// <summary>
    /// The time comes from the injected <see cref="TimeProvider"/> only (STYLE.md): a page or service that reads the machine's clock
    /// directly (DateTime.Today in a date picker's default, say) cannot be tested at a chosen instant and disagrees with the
    /// simulated year's clock. The day in the centre's time zone is WorkingTime.LocalDate(clock.GetUtcNow()).
    /// </summary>
    [Fact]
    public void NoSource_ReadsTheMachineClock()
    {
        var src = Path.Combine(RepositoryRoot(), "src");
        var clock = new System.Text.RegularExpressions.Regex(@"\bDateTime(Offset)?\.(Now|UtcNow|Today)\b");
        var readers = new[] { "*.cs", "*.razor" }
            .SelectMany(pattern => Directory.EnumerateFiles(src, pattern, SearchOption.AllDirectories))
            .Where(f => !Path.GetRelativePath(src, f).Replace('\\', '/').Split('/').Any(part => part is "bin" or "obj" or "Migrations"))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: f, Number: i + 1, Line: line)))
            .Where(l => clock.IsMatch(l.Line))
            .Select(l => $"{Path.GetRelativePath(RepositoryRoot(), l.File).Replace('\\', '/')}:{l.Number}: {l.Line.Trim()}")
            .ToList();

        Assert.True(readers.Count == 0, $"read the time from TimeProvider instead:{Environment.NewLine}{string.Join(Environment.NewLine, readers)}");
    }

    /// <summary>
    /// No upload button asks the server to open the file picker (MudFileUpload's OpenFilePickerAsync): the browser opens it only
    /// within a few seconds of the click, and a slow round trip made the button do nothing. Buttons are marked
    /// data-opens-file-picker instead, and the browser opens the picker (wwwroot/ApprovalSystem.Web.lib.module.js).
    /// </summary>
    [Fact]
    public void NoUploadButton_OpensThePickerFromTheServer()
    {
        var src = Path.Combine(RepositoryRoot(), "src");
        var razor = Directory.EnumerateFiles(src, "*.razor", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(src, f).Replace('\\', '/').Split('/').Any(part => part is "bin" or "obj"))
            .ToList();
        var servers = razor
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: f, Number: i + 1, Line: line)))
            .Where(l => l.Line.Contains("OpenFilePickerAsync", StringComparison.Ordinal))
            .Select(l => $"{Path.GetRelativePath(RepositoryRoot(), l.File).Replace('\\', '/')}:{l.Number}")
            .ToList();

        Assert.Contains(razor, f => File.ReadAllText(f).Contains("data-opens-file-picker", StringComparison.Ordinal));
        Assert.True(servers.Count == 0, $"mark the button data-opens-file-picker=\"true\" instead:{Environment.NewLine}{string.Join(Environment.NewLine, servers)}");
    }

    /// <summary>The folder holding ApprovalSystem.sln, found by walking up from the test's output folder.</summary>
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ApprovalSystem.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"ApprovalSystem.sln not found above {AppContext.BaseDirectory}");
    }
}
