namespace MlPlatform.Registry.Aliases;

/// <summary>An alias was created (<paramref name="PreviousVersion"/> null) or moved, in one event.</summary>
public sealed record AliasSet(string Model, string Alias, int Version, int? PreviousVersion, DateTimeOffset SetAt);

public sealed record AliasDeleted(string Model, string Alias, int PreviousVersion, DateTimeOffset DeletedAt);
