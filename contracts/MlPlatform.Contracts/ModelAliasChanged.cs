namespace MlPlatform.Contracts;

/// <summary>An alias (e.g. <c>champion</c>) was set, moved or deleted.</summary>
/// <param name="PreviousVersion">Null when the alias is new.</param>
/// <param name="NewVersion">Null when the alias was deleted.</param>
public sealed record ModelAliasChanged(
    string Model,
    string Alias,
    int? PreviousVersion,
    int? NewVersion,
    DateTimeOffset ChangedAt);
