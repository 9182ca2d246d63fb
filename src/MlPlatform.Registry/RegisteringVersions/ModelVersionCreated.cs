using MlPlatform.Registry.ModelCatalog;

namespace MlPlatform.Registry.RegisteringVersions;

/// <summary>A version was registered, with the lineage read from Tracking at that moment.</summary>
public sealed record ModelVersionCreated(
    string Model,
    int Version,
    string Description,
    IReadOnlyDictionary<string, string> Tags,
    SourceRun Run,
    ModelArtifact Artifact,
    Signature Signature,
    DateTimeOffset CreatedAt);
