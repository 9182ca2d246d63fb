using JasperFx.Events.Projections;
using Marten;

namespace MlPlatform.Builds.TrainingJobs;

public enum TrainingJobStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

public sealed record TrainingJobSubmitted(string Id, string Dataset, int DatasetVersion, DateTimeOffset SubmittedAt);

/// <summary>A training job, folded from its event stream (the stream id is the job id).</summary>
public sealed record TrainingJob(string Id, string Dataset, int DatasetVersion, TrainingJobStatus Status, DateTimeOffset SubmittedAt)
{
    public static TrainingJob Create(TrainingJobSubmitted submitted) =>
        new(submitted.Id, submitted.Dataset, submitted.DatasetVersion, TrainingJobStatus.Queued, submitted.SubmittedAt);
}

internal static class TrainingJobsConfig
{
    public static void AddTrainingJobs(this StoreOptions options) =>
        options.Projections.Snapshot<TrainingJob>(SnapshotLifecycle.Inline);
}
