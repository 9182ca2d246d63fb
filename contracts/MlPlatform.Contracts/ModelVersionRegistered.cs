namespace MlPlatform.Contracts;

/// <summary>A model version was registered with its lineage.</summary>
/// <param name="DatasetInputs">The source run's dataset inputs as <c>name@version</c>.</param>
/// <param name="ExperimentId">The Tracking experiment of the source run.</param>
/// <param name="ArtifactPath">Path of the model among the run's artifacts.</param>
/// <param name="Metrics">The run's latest (finite) value of every metric when the version was registered.</param>
public sealed record ModelVersionRegistered(
    string Model,
    int Version,
    string RunId,
    IReadOnlyList<string> DatasetInputs,
    string ArtifactSha256,
    DateTimeOffset RegisteredAt,
    string? ExperimentId = null,
    string? ArtifactPath = null,
    IReadOnlyDictionary<string, double>? Metrics = null);
