using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace ApprovalSystem.Web.Infrastructure;

public static class RootSettings
{
    /// <summary>
    /// The repository-root appsettings.json is the base layer of configuration: the build copies it
    /// beside the binaries as appsettings.root.json. It goes first, so the project's
    /// appsettings.{Environment}.json, environment variables and the command line override it.
    /// </summary>
    public static void AddRootSettings(this ConfigurationManager configuration)
    {
        var file = Path.Combine(AppContext.BaseDirectory, "appsettings.root.json");
        if (!File.Exists(file))
        {
            return;
        }

        var source = new JsonConfigurationSource
        {
            Path = Path.GetFileName(file),
            FileProvider = new PhysicalFileProvider(AppContext.BaseDirectory),
            Optional = false,
            ReloadOnChange = false,
        };
        var sources = (IList<IConfigurationSource>)((IConfigurationBuilder)configuration).Sources;
        var firstJson = sources.Select((s, i) => (s, i)).FirstOrDefault(x => x.s is JsonConfigurationSource).i;
        sources.Insert(firstJson, source);
    }
}
