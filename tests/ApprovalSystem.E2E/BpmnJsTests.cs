using System.Text.Json;
using System.Xml.Linq;
using ApprovalSystem.Workflows;
using ApprovalSystem.Workflows.Bpmn;
using Microsoft.Playwright;

namespace ApprovalSystem.E2E;

/// <summary>
/// The system's BPMN exports open in bpmn-js (the library behind bpmn.io and Camunda Modeler) in headless Chromium without
/// errors or warnings, with every element drawn; and a file as bpmn.io saves it opens there too and imports here with what
/// it lacks listed. bpmn-js is installed by npm into tests/ApprovalSystem.E2E/bpmn-js (see .ci/test.sh).
/// </summary>
[Collection(FlowBrowserTests.Name)]
public sealed class BpmnJsTests(E2EFixture app)
{
    private static readonly string Root = FindRoot();

    /// <summary>Imports the XML into a bpmn-js viewer; the warnings, the error, and which of the expected ids have graphics.</summary>
    private const string ImportScript = """
        async ([xml, ids]) => {
          document.querySelector('#canvas').innerHTML = '';
          const viewer = new BpmnJS({ container: '#canvas' });
          try {
            const { warnings } = await viewer.importXML(xml);
            viewer.get('canvas').zoom('fit-viewport');
            const registry = viewer.get('elementRegistry');
            const missing = ids.filter(id => !registry.get(id) || !registry.getGraphics(id));
            return { error: null, warnings: warnings.map(w => w.message), missing, drawn: registry.getAll().length };
          } catch (e) {
            return { error: String(e.message || e), warnings: (e.warnings || []).map(w => w.message), missing: ids, drawn: 0 };
          }
        }
        """;

    public static TheoryData<string> ShippedFiles() =>
        [.. Directory.GetFiles(Path.Combine(Root, "workflows"), "*.json").Select(Path.GetFileName).Where(f => f != WorkflowLoader.SchemaFileName).OfType<string>()];

    [Theory]
    [MemberData(nameof(ShippedFiles))]
    public async Task ShippedFlowExport_OpensInBpmnJs_WithEveryElementDrawn(string file)
    {
        var definition = new WorkflowLoader().LoadFromJson(file, await File.ReadAllTextAsync(Path.Combine(Root, "workflows", file))).Definitions.Single();
        var xml = BpmnExporter.ExportText(definition);
        var ids = XDocument.Parse(xml).Root!.Element(BpmnNames.Model + "process")!.Elements()
            .Where(e => e.Name.LocalName != "documentation").Select(e => (string)e.Attribute("id")!).ToArray();

        var page = await ViewerAsync();
        var result = await ImportAsync(page, xml, ids);

        Assert.Null(result.Error);
        Assert.Empty(result.Warnings);
        Assert.Empty(result.Missing);
        Assert.True(result.Drawn > ids.Length);
        Directory.CreateDirectory(E2EFixture.ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(E2EFixture.ScreenshotFolder, $"bpmn-js-{definition.Id}.png") });
    }

    [Fact]
    public async Task FileDrawnInBpmnIo_OpensInBpmnJs_AndImportsWithItsNeeds()
    {
        var xml = await File.ReadAllTextAsync(Path.Combine(Root, "tests", "bpmn-samples", "drawn-in-bpmn-io.bpmn"));
        var ids = XDocument.Parse(xml).Root!.Element(BpmnNames.Model + "process")!.Elements().Select(e => (string)e.Attribute("id")!).ToArray();

        var page = await ViewerAsync();
        var shown = await ImportAsync(page, xml, ids);
        var imported = BpmnImporter.Import(xml);

        Assert.Null(shown.Error);
        Assert.Empty(shown.Warnings);
        Assert.Empty(shown.Missing);
        Assert.Empty(imported.Errors);
        Assert.Equal(
            ["“现场核查”缺少：办理部门、岗位角色、办理时限（工作日）", "“现场核查与消防检查”缺少：办理时限（工作日）", "“审批”缺少：办理时限（工作日）",
                "“不予许可”缺少：办结结果（准予、不予或上报）"],
            imported.Needs.Select(n => n.Message));
    }

    [Fact]
    public async Task BrokenExport_IsReportedByBpmnJs()
    {
        // The check can fail: a flow to an element that does not exist is a bpmn-js warning.
        var definition = new WorkflowLoader().LoadFromJson("immediate.json", await File.ReadAllTextAsync(Path.Combine(Root, "workflows", "immediate.json")))
            .Definitions.Single();
        var document = BpmnExporter.Export(definition);
        document.Descendants(BpmnNames.Model + "sequenceFlow").First().SetAttributeValue("targetRef", "Nowhere");

        var result = await ImportAsync(await ViewerAsync(), document.ToString(), []);

        Assert.True(result.Error is not null || result.Warnings.Count > 0);
    }

    private async Task<IPage> ViewerAsync()
    {
        var script = Path.Combine(Root, "tests", "ApprovalSystem.E2E", "bpmn-js", "node_modules", "bpmn-js", "dist", "bpmn-viewer.production.min.js");
        Assert.True(File.Exists(script), $"bpmn-js is not installed: run `npm ci --prefix tests/ApprovalSystem.E2E/bpmn-js` (as .ci/test.sh does). Missing {script}");
        var page = await app.NewPageAsync();
        await page.SetContentAsync("<!DOCTYPE html><html><body style=\"margin:0\"><div id=\"canvas\" style=\"width:1400px;height:900px\"></div></body></html>");
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = script });
        return page;
    }

    private static async Task<ImportResult> ImportAsync(IPage page, string xml, string[] ids)
    {
        var json = await page.EvaluateAsync<JsonElement>(ImportScript, new object[] { xml, ids });
        return new(
            json.GetProperty("error").ValueKind == JsonValueKind.Null ? null : json.GetProperty("error").GetString(),
            [.. json.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!)],
            [.. json.GetProperty("missing").EnumerateArray().Select(w => w.GetString()!)],
            json.GetProperty("drawn").GetInt32());
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ApprovalSystem.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No ApprovalSystem.sln above {AppContext.BaseDirectory}.");
    }

    private sealed record ImportResult(string? Error, List<string> Warnings, List<string> Missing, int Drawn);
}
