using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MlPlatform.Hosting.Outbox;

namespace MlPlatform.Hosting.Messaging;

public static class MessagingExtensions
{
    /// <summary>
    /// MassTransit on the <c>messaging</c> RabbitMQ connection, with queues prefixed by the
    /// service name, retries on every consumer, and the outbox relay that publishes what the
    /// event store committed.
    /// </summary>
    public static IHostApplicationBuilder AddMessaging(
        this IHostApplicationBuilder builder, string serviceName, Action<IBusRegistrationConfigurator>? configureConsumers = null)
    {
        var connectionString = builder.Configuration.GetConnectionString(ConnectionNames.Messaging)
            ?? throw new InvalidOperationException(
                $"Connection string '{ConnectionNames.Messaging}' is missing: set ConnectionStrings__{ConnectionNames.Messaging} to an amqp:// URI, or start the service through the AppHost.");
        var broker = new Uri(connectionString);

        builder.Services.AddMassTransit(bus =>
        {
            // The platform is self-hosted and often offline: reporting usage to MassTransit only fails and logs a warning.
            bus.DisableUsageTelemetry();
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(serviceName, includeNamespace: false));
            configureConsumers?.Invoke(bus);

            // Consumers are idempotent, so retrying a transient failure is always safe.
            bus.AddConfigureEndpointsCallback((_, _, endpoint) =>
                endpoint.UseMessageRetry(retry => retry.Intervals(100, 500, 2000, 5000)));

            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.UseBroker(broker);
                rabbit.ConfigureEndpoints(context);
            });
        });

        builder.Services.AddHostedService<OutboxRelay>();
        return builder;
    }

    /// <summary>Points a RabbitMQ bus at an <c>amqp://user:password@host:port/vhost</c> URI.</summary>
    public static void UseBroker(this IRabbitMqBusFactoryConfigurator rabbit, Uri broker) =>
        rabbit.Host(broker.Host, (ushort)broker.Port, VirtualHost(broker), host =>
        {
            var (user, password) = Credentials(broker);
            host.Username(user);
            host.Password(password);
        });

    private static string VirtualHost(Uri broker)
    {
        var path = Uri.UnescapeDataString(broker.AbsolutePath.TrimStart('/'));
        return path.Length == 0 ? "/" : path;
    }

    private static (string User, string Password) Credentials(Uri broker)
    {
        var parts = broker.UserInfo.Split(':', 2);
        return parts.Length == 2 && parts[0].Length > 0
            ? (Uri.UnescapeDataString(parts[0]), Uri.UnescapeDataString(parts[1]))
            : ("guest", "guest");
    }
}
