using Microsoft.Extensions.DependencyInjection;

namespace MlPlatform.AppHost.Infrastructure;

/// <summary>Adds the locally installed RabbitMQ as a process resource with its own HOME, node, ports and data.</summary>
internal static class LocalRabbitMqBuilderExtensions
{
    public static IResourceBuilder<RabbitMqServerResource> AddLocalRabbitMq(
        this IDistributedApplicationBuilder builder,
        string name,
        LocalServerInstallation servers,
        string stateDirectory,
        RabbitMqPorts ports)
    {
        var layout = RabbitMqLayout.Under(stateDirectory);
        // The sbin script, not /usr/sbin's wrapper: that one switches user and writes to system folders.
        var resource = new RabbitMqServerResource(name, Path.Combine(servers.RabbitMqBinDirectory, "rabbitmq-server"), layout.Root);

        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddCheck(healthCheckKey, new AmqpHandshakeHealthCheck(ports.Amqp));

        var broker = builder.AddResource(resource)
            .WithEnvironment("HOME", layout.Home)
            .WithEnvironment("RABBITMQ_NODENAME", "mlplatform@localhost")
            .WithEnvironment("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1")
            .WithEnvironment("RABBITMQ_NODE_PORT", ports.Amqp.ToString())
            .WithEnvironment("RABBITMQ_DIST_PORT", ports.Distribution.ToString())
            .WithEnvironment("ERL_EPMD_PORT", ports.Epmd.ToString())
            // The broker must never start an epmd of its own: that one would be daemonised and left behind.
            .WithEnvironment("ERL_AFLAGS", "-start_epmd false")
            .WithEnvironment("RABBITMQ_MNESIA_BASE", layout.Mnesia)
            .WithEnvironment("RABBITMQ_LOG_BASE", layout.Logs)
            // Log to stdout so the dashboard shows the broker's log.
            .WithEnvironment("RABBITMQ_LOGS", "-")
            .WithEnvironment("RABBITMQ_ENABLED_PLUGINS_FILE", layout.EnabledPluginsFile)
            .WithEnvironment("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "-kernel inet_dist_use_interface {127,0,0,1}")
            // Not proxied: the port is fixed before start, so the URI stays valid across restarts.
            .WithEndpoint(
                port: ports.Amqp, targetPort: ports.Amqp, scheme: "tcp", name: RabbitMqServerResource.EndpointName, isProxied: false)
            .WithIconName("MailMultiple")
            .WithHealthCheck(healthCheckKey);

        var epmd = builder.AddEpmd($"{name}-epmd", servers.EpmdPath, ports.Epmd, layout).WithParentRelationship(broker);
        return broker.WaitFor(epmd);
    }
}
