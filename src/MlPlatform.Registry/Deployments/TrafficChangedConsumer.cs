using Marten;
using MassTransit;
using MlPlatform.Contracts;

namespace MlPlatform.Registry.Deployments;

/// <summary>
/// An endpoint's traffic split changed: each deployment's share is recorded, the histories of the
/// model versions whose share changed say so (rollbacks included), and a deployment missing from
/// the new split was removed, which ends what it served. Idempotent like <see cref="DeploymentRolledOutConsumer"/>.
/// </summary>
public sealed partial class TrafficChangedConsumer(ModelHistoryWriter history, ILogger<TrafficChangedConsumer> logger)
    : IConsumer<TrafficChanged>
{
    public Task Consume(ConsumeContext<TrafficChanged> context) => history.RecordOnceAsync(context, RecordAsync);

    private async Task RecordAsync(TrafficChanged message, CancellationToken cancellationToken)
    {
        var session = history.Session;
        var known = (await session.Query<EndpointDeployment>().Where(d => d.Endpoint == message.Endpoint).ToListAsync(cancellationToken))
            .ToDictionary(d => d.Deployment, StringComparer.Ordinal);
        foreach (var name in message.Weights.Keys.Where(name => !known.ContainsKey(name)))
        {
            known[name] = EndpointDeployment.New(message.Endpoint, name); // its roll-out may still be on its way
        }

        var changed = known.Values.Where(d => d.TrafficAsOf is not { } asOf || asOf < message.ChangedAt).ToList();
        await history.LockAsync(changed.Where(d => d.Current is not null).Select(d => d.Current!.Model), cancellationToken);
        foreach (var deployment in changed)
        {
            session.Store(Apply(deployment, message));
        }

        LogTrafficChanged(logger, message.Endpoint, message.Weights.Count);
    }

    private EndpointDeployment Apply(EndpointDeployment deployment, TrafficChanged message)
    {
        if (!message.Weights.TryGetValue(deployment.Deployment, out var percent))
        {
            // Removed from the endpoint: what it served, it serves no more.
            if (deployment.Current is { } removed)
            {
                history.Append(removed.Model, removed.Version, new ModelVersionUndeployed(
                    removed.Model, removed.Version, deployment.Endpoint, deployment.Deployment, ReplacedBy: null, message.Rollback, message.ChangedAt));
            }

            return deployment.Ended(message.ChangedAt) with { TrafficPercent = 0, TrafficAsOf = message.ChangedAt };
        }

        if (deployment.Current is { } current && deployment.TrafficPercent != percent)
        {
            history.Append(current.Model, current.Version, new ModelVersionTrafficChanged(
                current.Model, current.Version, deployment.Endpoint, deployment.Deployment, deployment.TrafficPercent, percent, message.Rollback, message.ChangedAt));
        }

        return deployment.WithTraffic(percent, message.ChangedAt);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Endpoint {Endpoint} split its traffic over {Deployments} deployment(s)")]
    private static partial void LogTrafficChanged(ILogger logger, string endpoint, int deployments);
}
