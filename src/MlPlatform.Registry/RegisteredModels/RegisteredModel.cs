using Marten;
using JasperFx.Events.Projections;

namespace MlPlatform.Registry.RegisteredModels;

public sealed record RegisteredModelCreated(string Name, string Description, IReadOnlyDictionary<string, string> Tags, DateTimeOffset CreatedAt);

/// <summary>A registered model, folded from its event stream (the stream id is the model name).</summary>
public sealed record RegisteredModel(
    string Id,
    string Description,
    IReadOnlyDictionary<string, string> Tags,
    DateTimeOffset CreatedAt,
    int LatestVersion)
{
    public static RegisteredModel Create(RegisteredModelCreated created) =>
        new(created.Name, created.Description, created.Tags, created.CreatedAt, LatestVersion: 0);
}

internal static class RegisteredModelsConfig
{
    public static void AddRegisteredModels(this StoreOptions options) =>
        options.Projections.Snapshot<RegisteredModel>(SnapshotLifecycle.Inline);
}
