namespace MlPlatform.Datasets.DeprecatingVersions;

public sealed record DatasetVersionDeprecated(string Dataset, int Version, string Reason, DateTimeOffset DeprecatedAt);
