using Marten;
using MassTransit;

namespace MlPlatform.Registry.Deployments;

internal static class DeploymentsConfig
{
    public static void AddDeploymentReplica(this StoreOptions options)
    {
        options.Schema.For<EndpointDeployment>().Index(d => d.Endpoint);
        options.Schema.For<ConsumedMessage>();
    }

    public static void AddDeploymentConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<DeploymentRolledOutConsumer, DeploymentEventsDefinition<DeploymentRolledOutConsumer>>();
        bus.AddConsumer<TrafficChangedConsumer, DeploymentEventsDefinition<TrafficChangedConsumer>>();
    }
}

/// <summary>
/// Both consumers share one queue and handle one message at a time, in the order Deployments
/// published them: a roll-out and a traffic change of the same endpoint never race over its replica.
/// </summary>
public sealed class DeploymentEventsDefinition<TConsumer> : ConsumerDefinition<TConsumer> where TConsumer : class, IConsumer
{
    public const string QueueName = "registry-deployment-events";

    public DeploymentEventsDefinition()
    {
        EndpointName = QueueName;
        ConcurrentMessageLimit = 1;
    }
}
