using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit;

namespace MlPlatform.TestSupport.Services;

/// <summary>
/// One MlPlatform service in memory, on real PostgreSQL and RabbitMQ: a database and virtual
/// host of its own on the shared throwaway servers, or with <paramref name="dedicatedBroker"/>
/// a broker of its own that the test may stop and start (an outage).
/// </summary>
public class ServiceFactory<TProgram>(bool dedicatedBroker = false) : WebApplicationFactory<TProgram>, IAsyncLifetime
    where TProgram : class
{
    private GrpcChannel? _channel;

    /// <summary>The environment's name: its database and virtual host are both called so.</summary>
    public string Name { get; private set; } = "";

    public string PostgresConnectionString { get; private set; } = "";

    public string MessagingConnectionString { get; private set; } = "";

    /// <summary>This factory's own broker, when it was created with a dedicated one.</summary>
    public RabbitMqServer? Broker { get; private set; }

    /// <summary>A gRPC channel to the in-memory service.</summary>
    public GrpcChannel Channel => _channel ??= GrpcChannel.ForAddress(Server.BaseAddress, new GrpcChannelOptions
    {
        HttpHandler = Server.CreateHandler(),
        MaxReceiveMessageSize = null,
        MaxSendMessageSize = null,
    });

    public async ValueTask InitializeAsync()
    {
        var infrastructure = await SharedInfrastructure.GetAsync();
        var environment = await infrastructure.CreateIsolatedEnvironmentAsync(GetType().Name);
        Name = environment.Name;
        PostgresConnectionString = environment.PostgresConnectionString;
        MessagingConnectionString = environment.RabbitMqConnectionString;
        if (dedicatedBroker)
        {
            Broker = await RabbitMqServer.StartAsync();
            MessagingConnectionString = await Broker.CreateVirtualHostAsync(Name);
        }

        // Start now, so a service that cannot start fails the fixture with its own error.
        _ = Server;
    }

    public override async ValueTask DisposeAsync()
    {
        _channel?.Dispose();
        await base.DisposeAsync();
        if (Broker is not null)
        {
            await Broker.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Settings, not configuration sources: the service reads them while it is being built.
        builder.UseSetting("ConnectionStrings:postgres", PostgresConnectionString);
        builder.UseSetting("ConnectionStrings:messaging", MessagingConnectionString);
        ConfigureService(builder);
    }

    /// <summary>Extra settings for the service under test, e.g. <c>builder.UseSetting(key, value)</c>.</summary>
    protected virtual void ConfigureService(IWebHostBuilder builder)
    {
    }
}
