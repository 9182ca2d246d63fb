using Microsoft.Extensions.DependencyInjection;

namespace MlPlatform.AppHost.Infrastructure;

/// <summary>Adds the locally installed PostgreSQL as a process resource.</summary>
internal static class LocalPostgresBuilderExtensions
{
    public static IResourceBuilder<PostgresServerResource> AddLocalPostgres(
        this IDistributedApplicationBuilder builder, string name, PostgresCommands commands, string stateDirectory, int port)
    {
        var layout = PostgresLayout.Under(stateDirectory);
        var server = commands.Server(
            "-D", layout.DataDirectory, "-k", layout.SocketDirectory, "-c", "listen_addresses=127.0.0.1", "-p", port.ToString());
        var resource = new PostgresServerResource(name, server.FileName, layout.Root, InfrastructureNames.Database);

        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddCheck(healthCheckKey, new PostgresDatabaseHealthCheck(port, InfrastructureNames.Database));

        var dataDirectory = new PostgresDataDirectory(layout, commands);
        return builder.AddResource(resource)
            .WithArgs(server.Arguments)
            // Not proxied: the port is fixed before start, so connection strings stay valid across restarts.
            .WithEndpoint(port: port, targetPort: port, scheme: "tcp", name: PostgresServerResource.EndpointName, isProxied: false)
            .WithIconName("DatabaseMultiple")
            .WithHealthCheck(healthCheckKey)
            .OnBeforeResourceStarted((postgres, startEvent, cancellationToken) =>
            {
                // The resource's own log: initdb output and warnings show up next to the server's in the dashboard.
                var logger = startEvent.Services.GetRequiredService<ResourceLoggerService>().GetLogger(postgres);
                return dataDirectory.PrepareAsync(logger, cancellationToken);
            });
    }
}
