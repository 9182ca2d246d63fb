using MassTransit;
using MlPlatform.Contracts;

namespace MlPlatform.Registry.Deployments;

/// <summary>
/// A deployment now serves a model version: its previous period ends, a new one starts, and the
/// histories of the models concerned say so. Idempotent: a redelivered message (same message id)
/// or an announcement older than what is recorded changes nothing.
/// </summary>
public sealed partial class DeploymentRolledOutConsumer(ModelHistoryWriter history, ILogger<DeploymentRolledOutConsumer> logger)
    : IConsumer<DeploymentRolledOut>
{
    public Task Consume(ConsumeContext<DeploymentRolledOut> context) => history.RecordOnceAsync(context, RecordAsync);

    private async Task RecordAsync(DeploymentRolledOut message, CancellationToken cancellationToken)
    {
        var session = history.Session;
        var key = EndpointDeployment.Key(message.Endpoint, message.Deployment);
        var deployment = await session.LoadAsync<EndpointDeployment>(key, cancellationToken)
            ?? EndpointDeployment.New(message.Endpoint, message.Deployment);
        if (deployment.LastChangedAt() is { } last && last >= message.RolledOutAt)
        {
            LogStale(logger, message.Endpoint, message.Deployment, message.Model, message.Version);
            return; // only the message is remembered
        }

        // What it served before: the Registry's own record first, the announcement's otherwise.
        var previousModel = deployment.Current?.Model ?? message.PreviousModel;
        var previousVersion = deployment.Current?.Version ?? message.PreviousVersion;
        await history.LockAsync(previousModel is null ? [message.Model] : [message.Model, previousModel], cancellationToken);
        history.Append(message.Model, message.Version, new ModelVersionDeployed(
            message.Model, message.Version, message.Endpoint, message.Deployment, previousModel, previousVersion, message.Rollback, message.RolledOutAt));
        if (previousModel is not null && previousVersion is { } replaced && previousModel != message.Model)
        {
            // Within one model the event above already says "v4 replaced v3"; another model's history needs its own line.
            history.Append(previousModel, replaced, new ModelVersionUndeployed(
                previousModel, replaced, message.Endpoint, message.Deployment,
                EndpointDeployment.ServedKey(message.Model, message.Version), message.Rollback, message.RolledOutAt));
        }

        session.Store(deployment.RolledOut(message.Model, message.Version, message.Rollback, message.RolledOutAt));
        LogRolledOut(logger, message.Endpoint, message.Deployment, message.Model, message.Version);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deployment {Endpoint}/{Deployment} now serves {Model}@{Version}")]
    private static partial void LogRolledOut(ILogger logger, string endpoint, string deployment, string model, int version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ignored a stale roll-out of {Model}@{Version} to {Endpoint}/{Deployment}: a newer one is recorded")]
    private static partial void LogStale(ILogger logger, string endpoint, string deployment, string model, int version);
}
