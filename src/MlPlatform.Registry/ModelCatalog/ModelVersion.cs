using MlPlatform.Registry.Deprecating;
using MlPlatform.Registry.RegisteringVersions;
using MlPlatform.Registry.VersionTags;

namespace MlPlatform.Registry.ModelCatalog;

/// <summary>One version of a model with the lineage captured when it was registered: a read model projected from the model's stream.</summary>
/// <param name="Id">See <see cref="Key"/>.</param>
/// <param name="Number">The version number. Not called <c>Version</c>: Marten would take that for the document's revision.</param>
public sealed record ModelVersion(
    string Id,
    string Model,
    int Number,
    string Description,
    IReadOnlyDictionary<string, string> Tags,
    SourceRun Run,
    ModelArtifact Artifact,
    Signature Signature,
    DateTimeOffset CreatedAt,
    bool Deprecated = false,
    string? DeprecationReason = null,
    DateTimeOffset? DeprecatedAt = null)
{
    public static string Key(string model, int version) => $"{model}/{version}";

    public static ModelVersion From(ModelVersionCreated created) => new(
        Key(created.Model, created.Version),
        created.Model,
        created.Version,
        created.Description,
        created.Tags,
        created.Run,
        created.Artifact,
        created.Signature,
        created.CreatedAt);

    public ModelVersion Apply(ModelVersionTagSet set) =>
        this with { Tags = new Dictionary<string, string>(Tags) { [set.Key] = set.Value } };

    public ModelVersion Apply(ModelVersionTagDeleted deleted)
    {
        var tags = new Dictionary<string, string>(Tags);
        tags.Remove(deleted.Key);
        return this with { Tags = tags };
    }

    public ModelVersion Apply(ModelVersionDeprecated deprecated) =>
        this with { Deprecated = true, DeprecationReason = deprecated.Reason, DeprecatedAt = deprecated.DeprecatedAt };
}

/// <summary>A dataset version a run read (<c>name@version</c>).</summary>
public sealed record DatasetRef(string Name, int Version)
{
    public override string ToString() => $"{Name}@{Version}";
}

/// <summary>The Tracking run a version came from, as it was when the version was registered.</summary>
/// <param name="Metrics">The run's latest (finite) value of every metric.</param>
public sealed record SourceRun(
    string RunId,
    string RunName,
    string ExperimentId,
    string ExperimentName,
    DateTimeOffset StartTime,
    DateTimeOffset? EndTime,
    IReadOnlyList<DatasetRef> Datasets,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyDictionary<string, string> Params);

/// <summary>The model file among the run's artifacts.</summary>
public sealed record ModelArtifact(string Path, string Sha256, long SizeBytes);

/// <summary>A model's input and output columns; both empty when nobody supplied one.</summary>
public sealed record Signature(IReadOnlyList<SignatureColumn> Inputs, IReadOnlyList<SignatureColumn> Outputs)
{
    public static readonly Signature None = new([], []);
}

/// <param name="Size">0 for a scalar, N for a vector of N values.</param>
public sealed record SignatureColumn(string Name, string Type, bool Nullable, int Size);
