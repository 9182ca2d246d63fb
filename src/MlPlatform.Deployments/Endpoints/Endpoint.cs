using JasperFx.Events.Projections;
using Marten;

namespace MlPlatform.Deployments.Endpoints;

public sealed record EndpointCreated(string Name, string Description, DateTimeOffset CreatedAt);

/// <summary>A scoring endpoint, folded from its event stream (the stream id is its name).</summary>
public sealed record Endpoint(string Id, string Description, DateTimeOffset CreatedAt)
{
    public static Endpoint Create(EndpointCreated created) => new(created.Name, created.Description, created.CreatedAt);
}

internal static class EndpointsConfig
{
    public static void AddEndpoints(this StoreOptions options) =>
        options.Projections.Snapshot<Endpoint>(SnapshotLifecycle.Inline);
}
