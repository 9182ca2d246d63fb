using Google.Protobuf.WellKnownTypes;
using MlPlatform.Registry.ModelCatalog;
using RegistryApi = MlPlatform.Api.Registry.V1;

namespace MlPlatform.Registry.Grpc;

internal static class ApiMapping
{
    public static RegistryApi.RegisteredModel ToApi(this RegisteredModel model) => new()
    {
        Name = model.Id,
        Description = model.Description,
        Tags = { model.Tags.ToDictionary() },
        CreatedAt = Timestamp.FromDateTimeOffset(model.CreatedAt),
        Aliases = { model.Aliases.ToDictionary() },
        LatestVersion = model.LatestVersion,
    };

    /// <summary>A version with the aliases of <paramref name="model"/> that point at it.</summary>
    public static RegistryApi.ModelVersion ToApi(this ModelVersion version, RegisteredModel model) => new()
    {
        Model = version.Model,
        Version = version.Number,
        Description = version.Description,
        Tags = { version.Tags.ToDictionary() },
        Status = version.Deprecated ? RegistryApi.ModelVersionStatus.Deprecated : RegistryApi.ModelVersionStatus.Active,
        DeprecationReason = version.DeprecationReason ?? string.Empty,
        DeprecatedAt = version.DeprecatedAt is { } at ? Timestamp.FromDateTimeOffset(at) : null,
        Aliases = { model.AliasesOf(version.Number) },
        CreatedAt = Timestamp.FromDateTimeOffset(version.CreatedAt),
        RunId = version.Run.RunId,
        ExperimentId = version.Run.ExperimentId,
        ArtifactPath = version.Artifact.Path,
        ArtifactSha256 = version.Artifact.Sha256,
        ArtifactSizeBytes = version.Artifact.SizeBytes,
        DatasetInputs = { version.Run.Datasets.Select(ToApi) },
        Metrics = { version.Run.Metrics.ToDictionary() },
        Signature = new RegistryApi.ModelSignature
        {
            Inputs = { version.Signature.Inputs.Select(ToApi) },
            Outputs = { version.Signature.Outputs.Select(ToApi) },
        },
    };

    public static RegistryApi.ModelVersion ToApi(this (RegisteredModel Model, ModelVersion Version) found) => found.Version.ToApi(found.Model);

    public static RegistryApi.DatasetVersionRef ToApi(DatasetRef dataset) => new() { Name = dataset.Name, Version = dataset.Version };

    private static RegistryApi.SignatureColumn ToApi(SignatureColumn column) =>
        new() { Name = column.Name, Type = column.Type, Nullable = column.Nullable, Size = column.Size };
}
