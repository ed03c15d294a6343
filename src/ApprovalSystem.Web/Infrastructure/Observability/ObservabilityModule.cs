using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.Compliance.Classification;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ApprovalSystem.Web.Infrastructure.Observability;

/// <summary>
/// Metrics, traces, redacted logs and health for operators (decision 0044): OpenTelemetry metrics of ASP.NET Core, HTTP clients,
/// the runtime, Npgsql and <see cref="AppMetrics"/>, scraped at /metrics; traces (ASP.NET Core, EF Core, Npgsql, HTTP clients,
/// Hangfire jobs) exported over OTLP when <c>OpenTelemetry:OtlpEndpoint</c> is set (and not recorded at all otherwise);
/// personal data in log parameters redacted by the logging pipeline; health entries for the database, Hangfire and the font.
/// </summary>
public static class ObservabilityModule
{
    public const string ServiceName = "ApprovalSystem";

    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<AppMetrics>();
        services.TryAddEnumerable(ServiceDescriptor.Scoped<CircuitHandler, CircuitCounter>());
        services.AddSingleton<OperatorAccess>();

        // No discriminator: a masked value reads as on the pages (3301**********1234), not with ":User" appended to it.
        builder.Logging.EnableRedaction(o => o.ApplyDiscriminator = false);
        services.AddRedaction(r => r.SetRedactor<PersonalDataRedactor>(new DataClassificationSet(DataTaxonomy.PersonalData)));

        var otlp = builder.Configuration["OpenTelemetry:OtlpEndpoint"] is { Length: > 0 } endpoint ? new Uri(endpoint) : null;
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(ServiceName, serviceInstanceId: Environment.MachineName))
            .WithMetrics(m =>
            {
                m.AddMeter(AppMetrics.MeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddNpgsqlInstrumentation()
                    .AddPrometheusExporter();
                if (otlp is not null)
                {
                    m.AddOtlpExporter(o => o.Endpoint = otlp);
                }
            });
        if (otlp is not null)
        {
            // Without an exporter a span is made and dropped on every request and query: tracing is on only when sent somewhere.
            telemetry.WithTracing(t => t
                .AddSource(JobTracing.SourceName)
                .AddAspNetCoreInstrumentation(o => o.Filter = c => !c.Request.Path.StartsWithSegments("/_framework")
                    && !c.Request.Path.StartsWithSegments("/_content") && !c.Request.Path.StartsWithSegments("/metrics"))
                .AddHttpClientInstrumentation()
                .AddEntityFrameworkCoreInstrumentation()
                .AddNpgsql()
                .AddOtlpExporter(o => o.Endpoint = otlp));
            JobTracing.Register();
        }

        services.AddHealthChecks()
            .AddCheck<HangfireHealthCheck>("hangfire")
            .AddCheck<FontHealthCheck>("font");
        services.AddSingleton<FontHealthCheck>(); // keeps the last good font between probes
        return builder;
    }

    /// <summary>/metrics and /health/details for operators only (<see cref="OperatorAccess"/>); neither is in the OpenAPI document.</summary>
    public static WebApplication MapObservability(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics", meterProvider: null, configureBranchedPipeline: OperatorAccess.Guard, optionsName: null)
            .ExcludeFromDescription()
            .DisableHttpMetrics();
        var details = ((IEndpointRouteBuilder)app).CreateApplicationBuilder();
        OperatorAccess.Guard(details);
        details.UseMiddleware<Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckMiddleware>(Microsoft.Extensions.Options.Options.Create(
            new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { ResponseWriter = HealthReportWriter.WriteAsync }));
        app.Map("/health/details", details.Build()).ExcludeFromDescription().DisableHttpMetrics();
        var metrics = app.Services.GetRequiredService<AppMetrics>();
        app.Lifetime.ApplicationStarted.Register(metrics.StartSeries);
        return app;
    }
}
