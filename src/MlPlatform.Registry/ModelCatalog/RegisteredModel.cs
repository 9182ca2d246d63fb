using MlPlatform.Registry.Aliases;
using MlPlatform.Registry.RegisteringModels;
using MlPlatform.Registry.RegisteringVersions;

namespace MlPlatform.Registry.ModelCatalog;

/// <summary>A registered model, folded from its event stream (the stream id is the model name).</summary>
/// <param name="LatestVersion">Highest version number assigned so far; 0 before the first registration.</param>
/// <param name="Aliases">Alias name → the version it points at.</param>
public sealed record RegisteredModel(
    string Id,
    string Description,
    IReadOnlyDictionary<string, string> Tags,
    DateTimeOffset CreatedAt,
    int LatestVersion,
    IReadOnlyDictionary<string, int> Aliases)
{
    public static RegisteredModel Create(RegisteredModelCreated created) =>
        new(created.Name, created.Description, created.Tags, created.CreatedAt, LatestVersion: 0, new Dictionary<string, int>());

    public RegisteredModel Apply(ModelVersionCreated created) => this with { LatestVersion = created.Version };

    public RegisteredModel Apply(AliasSet set) =>
        this with { Aliases = new Dictionary<string, int>(Aliases) { [set.Alias] = set.Version } };

    public RegisteredModel Apply(AliasDeleted deleted)
    {
        var aliases = new Dictionary<string, int>(Aliases);
        aliases.Remove(deleted.Alias);
        return this with { Aliases = aliases };
    }

    /// <summary>The aliases pointing at <paramref name="version"/>, by name.</summary>
    public IReadOnlyList<string> AliasesOf(int version) =>
        [.. Aliases.Where(a => a.Value == version).Select(a => a.Key).Order(StringComparer.Ordinal)];
}
