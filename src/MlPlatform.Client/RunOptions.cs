namespace MlPlatform.Client;

/// <summary>What a run starts with, and how its metric points are batched.</summary>
public sealed class RunOptions
{
    /// <summary>The run's name; the service generates one when it is null.</summary>
    public string? Name { get; init; }

    /// <summary>Makes this a nested run of the run with this id (in the same experiment).</summary>
    public string? ParentRunId { get; init; }

    /// <summary>Params logged as soon as the run starts. Params are write-once per key.</summary>
    public IDictionary<string, string> Params { get; } = new Dictionary<string, string>();

    /// <summary>Tags the run starts with.</summary>
    public IDictionary<string, string> Tags { get; } = new Dictionary<string, string>();

    /// <summary>Dataset versions the run reads, each as <c>name@version</c>, e.g. <c>churn@3</c>.</summary>
    public ICollection<string> DatasetInputs { get; } = new List<string>();

    /// <summary>Most points sent in one <c>LogMetrics</c> call; a full batch is sent at once. Default 1 000.</summary>
    public int BatchSize { get; init; } = 1_000;

    /// <summary>Longest a logged point waits before it is sent when no batch fills up. Default 1 second.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Most points logged but not yet stored (waiting or being sent). When this many are outstanding,
    /// <see cref="ActiveRun.LogMetric"/> blocks until the service has stored a batch. Default 100 000;
    /// at least <see cref="BatchSize"/>.
    /// </summary>
    public int MaxBufferedPoints { get; init; } = 100_000;
}
