namespace MlPlatform.Registry.VersionTags;

public sealed record ModelVersionTagSet(string Model, int Version, string Key, string Value, DateTimeOffset SetAt);

public sealed record ModelVersionTagDeleted(string Model, int Version, string Key, DateTimeOffset DeletedAt);
