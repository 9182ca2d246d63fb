namespace MlPlatform.Contracts;

/// <summary>A deployable package (model, manifest, signature, container context) was built.</summary>
public sealed record ModelPackageBuilt(
    string PackageId,
    string Model,
    int Version,
    string Sha256,
    DateTimeOffset BuiltAt);
