namespace MlPlatform.Registry.Deprecating;

public sealed record ModelVersionDeprecated(string Model, int Version, string Reason, DateTimeOffset DeprecatedAt);
