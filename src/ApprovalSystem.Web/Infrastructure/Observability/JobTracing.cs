using System.Diagnostics;
using Hangfire.Common;
using Hangfire.Server;

namespace ApprovalSystem.Web.Infrastructure.Observability;

/// <summary>
/// An activity (a trace span) per Hangfire job execution, on the source <see cref="SourceName"/>: the job's database and HTTP
/// spans nest under it. No package in the feed does this for Hangfire 1.8, so it is this small server filter. Hangfire calls
/// <see cref="OnPerforming"/> and the job in one call chain, so the activity is current while the job runs.
/// </summary>
public sealed class JobTracing : JobFilterAttribute, IServerFilter
{
    public const string SourceName = "ApprovalSystem.Jobs";

    private const string ItemKey = "approval:activity";
    private static readonly ActivitySource Source = new(SourceName);
    private static int _registered;

    /// <summary>Adds the filter to Hangfire's global filters once per process (they are static; every host shares them).</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 0)
        {
            Hangfire.GlobalJobFilters.Filters.Add(new JobTracing());
        }
    }

    public void OnPerforming(PerformingContext context)
    {
        var job = context.BackgroundJob.Job;
        var activity = Source.StartActivity($"job {job.Type.Name}.{job.Method.Name}", ActivityKind.Internal);
        if (activity is null)
        {
            return; // nobody listens (no trace exporter configured)
        }

        activity.SetTag("job.id", context.BackgroundJob.Id);
        activity.SetTag("job.type", job.Type.FullName);
        activity.SetTag("job.method", job.Method.Name);
        context.Items[ItemKey] = activity;
    }

    public void OnPerformed(PerformedContext context)
    {
        if (!context.Items.TryGetValue(ItemKey, out var item) || item is not Activity activity)
        {
            return;
        }

        if (context.Exception is { } e)
        {
            activity.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            activity.AddException(e);
        }

        activity.Dispose();
    }
}
