using Google.Protobuf.WellKnownTypes;
using Marten;
using MlPlatform.Tracking.Metrics;
using TrackingApi = MlPlatform.Api.Tracking.V1;

namespace MlPlatform.Tracking.Runs;

/// <summary>Runs as the API shows them: the folded run plus the latest point of each metric.</summary>
internal sealed class RunReader(IQuerySession session, LatestMetrics latestMetrics)
{
    public async Task<TrackingApi.Run> GetAsync(string runId, CancellationToken cancellationToken)
    {
        var run = await RunLookup.GetAsync(session, runId, cancellationToken);
        var metrics = await latestMetrics.ForRunsAsync([runId], cancellationToken);
        return ToApi(run, metrics[runId]);
    }

    /// <summary>The runs with these ids, in the order given.</summary>
    public async Task<IReadOnlyList<TrackingApi.Run>> GetManyAsync(IReadOnlyList<string> runIds, CancellationToken cancellationToken)
    {
        if (runIds.Count == 0)
        {
            return [];
        }

        var runs = (await session.LoadManyAsync<Run>(cancellationToken, runIds)).ToDictionary(r => r.Id);
        var metrics = await latestMetrics.ForRunsAsync(runIds, cancellationToken);
        return [.. runIds.Where(runs.ContainsKey).Select(id => ToApi(runs[id], metrics[id]))];
    }

    public static TrackingApi.Run ToApi(Run run, IEnumerable<TrackingApi.MetricPoint> latestMetrics) => new()
    {
        RunId = run.Id,
        ExperimentId = run.ExperimentId,
        RunName = run.Name,
        ParentRunId = run.ParentRunId ?? "",
        Status = run.Status.ToApi(),
        StartTime = Timestamp.FromDateTimeOffset(run.StartTime),
        EndTime = run.EndTime is { } end ? Timestamp.FromDateTimeOffset(end) : null,
        Deleted = run.Deleted,
        Params = { run.Params.ToDictionary() },
        Tags = { run.Tags.ToDictionary() },
        LatestMetrics = { latestMetrics },
        DatasetInputs = { run.DatasetInputs.Select(d => new TrackingApi.DatasetInput { Name = d.Name, Version = d.Version }) },
        Artifacts = { run.Artifacts.Values.OrderBy(a => a.Path, StringComparer.Ordinal).Select(Artifacts.ArtifactMapping.ToApi) },
    };
}
