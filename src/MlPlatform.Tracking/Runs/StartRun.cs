using Marten;
using MlPlatform.Hosting.Grpc;
using MlPlatform.Hosting.Validation;
using MlPlatform.Tracking.Experiments;
using TrackingApi = MlPlatform.Api.Tracking.V1;

namespace MlPlatform.Tracking.Runs;

internal static class StartRun
{
    public const int MaxRunNameLength = 250;

    public static async Task<TrackingApi.Run> HandleAsync(IDocumentSession session, TrackingApi.StartRunRequest request, CancellationToken cancellationToken)
    {
        var experiment = await ExperimentLookup.GetAsync(session, request.Experiment, cancellationToken);
        if (experiment.Archived)
        {
            throw Errors.FailedPrecondition($"Experiment '{experiment.Name}' is archived; restore it to start runs in it.");
        }

        if (request.RunName.Length > MaxRunNameLength)
        {
            throw Errors.InvalidArgument($"run_name is {request.RunName.Length} characters long; the limit is {MaxRunNameLength}.");
        }

        var parentRunId = request.ParentRunId.Length > 0 ? request.ParentRunId : null;
        if (parentRunId is not null)
        {
            var parent = await session.LoadAsync<Run>(parentRunId, cancellationToken)
                ?? throw Errors.NotFound($"Parent run '{parentRunId}' does not exist.");
            if (parent.ExperimentId != experiment.Id)
            {
                throw Errors.InvalidArgument($"Parent run '{parentRunId}' belongs to another experiment; a nested run lives in its parent's experiment.");
            }
        }

        var runId = RunIds.New();
        var started = new RunStarted(
            runId,
            experiment.Id,
            request.RunName.Length > 0 ? request.RunName : $"run-{runId[^8..]}",
            parentRunId,
            KeyValues.Validate(request.Tags, "tag"),
            DatasetInputs(request.DatasetInputs),
            request.StartTime?.ToDateTimeOffset() ?? DateTimeOffset.UtcNow);
        session.Events.StartStream<Run>(runId, started);
        await session.SaveChangesAsync(cancellationToken);
        return RunReader.ToApi(Run.Create(started), []);
    }

    private static List<DatasetInput> DatasetInputs(IEnumerable<TrackingApi.DatasetInput> inputs)
    {
        var byName = new Dictionary<string, DatasetInput>();
        foreach (var input in inputs)
        {
            var name = ResourceName.Validate(input.Name, "Dataset");
            if (input.Version < 1)
            {
                throw Errors.InvalidArgument($"Dataset input '{name}' needs a version (1 or more), as in {name}@1.");
            }

            if (byName.TryGetValue(name, out var other) && other.Version != input.Version)
            {
                throw Errors.InvalidArgument($"Dataset '{name}' is listed twice, as {name}@{other.Version} and {name}@{input.Version}; a run reads one version of a dataset.");
            }

            byName[name] = new DatasetInput(name, input.Version);
        }

        return [.. byName.Values];
    }
}
