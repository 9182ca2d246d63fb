namespace MlPlatform.Contracts;

/// <summary>A model version was registered with its lineage.</summary>
public sealed record ModelVersionRegistered(
    string Model,
    int Version,
    string RunId,
    IReadOnlyList<string> DatasetInputs,
    string ArtifactSha256,
    DateTimeOffset RegisteredAt);
