using MlPlatform.Hosting.Grpc;
using MlPlatform.Tracking.Artifacts;
using MlPlatform.Tracking.Params;
using MlPlatform.Tracking.Tags;

namespace MlPlatform.Tracking.Runs;

public enum RunStatus
{
    Running,
    Finished,
    Failed,
    Killed,
}

/// <summary>A dataset version a run read (<c>name@version</c>).</summary>
public sealed record DatasetInput(string Name, int Version);

public sealed record RunStarted(
    string RunId,
    string ExperimentId,
    string RunName,
    string? ParentRunId,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyList<DatasetInput> DatasetInputs,
    DateTimeOffset StartTime);

public sealed record RunEnded(RunStatus Status, DateTimeOffset EndTime);

public sealed record RunDeleted(DateTimeOffset DeletedAt);

public sealed record RunRestored(DateTimeOffset RestoredAt);

/// <summary>
/// A run, folded from its event stream (the stream id is its id). Metric points are not here:
/// they live in the chunked series tables (see <c>Metrics/</c>).
/// </summary>
public sealed record Run(
    string Id,
    string ExperimentId,
    string Name,
    string? ParentRunId,
    RunStatus Status,
    DateTimeOffset StartTime,
    DateTimeOffset? EndTime,
    bool Deleted,
    IReadOnlyDictionary<string, string> Params,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyList<DatasetInput> DatasetInputs,
    IReadOnlyDictionary<string, ArtifactUploaded> Artifacts)
{
    public static Run Create(RunStarted started) => new(
        started.RunId,
        started.ExperimentId,
        started.RunName,
        started.ParentRunId,
        RunStatus.Running,
        started.StartTime,
        EndTime: null,
        Deleted: false,
        new Dictionary<string, string>(),
        started.Tags,
        started.DatasetInputs,
        new Dictionary<string, ArtifactUploaded>());

    public Run Apply(RunEnded ended) => this with { Status = ended.Status, EndTime = ended.EndTime };

    public Run Apply(RunDeleted deleted) => this with { Deleted = true };

    public Run Apply(RunRestored restored) => this with { Deleted = false };

    public Run Apply(ParamsLogged logged) => this with { Params = Merge(Params, logged.Params) };

    public Run Apply(TagsSet set) => this with { Tags = Merge(Tags, set.Tags) };

    public Run Apply(ArtifactUploaded uploaded) =>
        this with { Artifacts = Merge(Artifacts, new Dictionary<string, ArtifactUploaded> { [uploaded.Path] = uploaded }) };

    /// <summary>Params, metrics and artifacts are accepted only while the run runs and is not deleted.</summary>
    public void EnsureRunning(string what)
    {
        EnsureNotDeleted();
        if (Status != RunStatus.Running)
        {
            throw Errors.FailedPrecondition(
                $"Run '{Id}' is {Status.ToText()}; {what} can only be logged while it is RUNNING.");
        }
    }

    public void EnsureNotDeleted()
    {
        if (Deleted)
        {
            throw Errors.FailedPrecondition($"Run '{Id}' is deleted; restore it first.");
        }
    }

    private static Dictionary<string, T> Merge<T>(IReadOnlyDictionary<string, T> current, IReadOnlyDictionary<string, T> changes)
    {
        var merged = new Dictionary<string, T>(current);
        foreach (var (key, value) in changes)
        {
            merged[key] = value;
        }

        return merged;
    }
}
