extern alias registry;
extern alias tracking;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MlPlatform.Hosting.Security;
using MlPlatform.TestSupport.Services;

[assembly: AssemblyFixture(typeof(MlPlatform.Registry.Tests.RegistryPlatform))]

namespace MlPlatform.Registry.Tests;

/// <summary>
/// Registry and a real Tracking service, both in memory on real PostgreSQL and RabbitMQ. The
/// Registry's Tracking client (configured where the service configures it) reaches the Tracking
/// server through its in-memory handler; service discovery resolves <c>_grpc.tracking</c> from
/// configuration, as under the AppHost. Both verify identities with the same secret, as behind
/// one gateway, so the identity the Registry forwards is accepted by Tracking.
/// </summary>
public class RegistryPlatform : IAsyncLifetime
{
    private readonly bool _dedicatedBroker;
    private GrpcChannel? _registryChannel;
    private GrpcChannel? _trackingChannel;

    public RegistryPlatform()
    {
    }

    protected RegistryPlatform(bool dedicatedBroker) => _dedicatedBroker = dedicatedBroker;

    public TrackingServiceFactory Tracking { get; } = new();

    public RegistryServiceFactory Registry { get; private set; } = null!;

    public RegistryClient RegistryClient => new(_registryChannel!);

    public TrackingClient TrackingClient => new(_trackingChannel!);

    public async ValueTask InitializeAsync()
    {
        Registry = new RegistryServiceFactory(Tracking, _dedicatedBroker);
        Tracking.SharedSigningKey = Registry.IdentitySigningKey;
        await Tracking.InitializeAsync();
        await Registry.InitializeAsync();
        // Tracking verifies with the Registry's secret (see TrackingServiceFactory), so both channels sign with it.
        _registryChannel = Registry.CreateChannel(() => Registry.SignIdentity(Registry.TestIdentity));
        _trackingChannel = Tracking.CreateChannel(() => Registry.SignIdentity(Registry.TestIdentity));
    }

    public async ValueTask DisposeAsync()
    {
        _registryChannel?.Dispose();
        _trackingChannel?.Dispose();
        await Registry.DisposeAsync();
        await Tracking.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

/// <summary>With a broker of its own for the Registry, which a test may stop and start.</summary>
public sealed class RegistryPlatformWithOwnBroker() : RegistryPlatform(dedicatedBroker: true);

public sealed class TrackingServiceFactory : ServiceFactory<tracking::Program>
{
    /// <summary>The secret to verify identities with: the Registry's, set before the server starts.</summary>
    public string? SharedSigningKey { get; set; }

    protected override void ConfigureService(IWebHostBuilder builder)
    {
        builder.ConfigureLogging(logging => logging.AddProvider(new TestOutputLoggerProvider("tracking")));
        if (SharedSigningKey is { } key)
        {
            builder.UseSetting($"{IdentityOptions.Section}:SigningKey", key);
        }
    }
}

public sealed class RegistryServiceFactory(TrackingServiceFactory tracking, bool dedicatedBroker) : ServiceFactory<registry::Program>(dedicatedBroker)
{
    protected override void ConfigureService(IWebHostBuilder builder)
    {
        builder.UseSetting("services:tracking:grpc:0", "http://tracking.in-memory");
        builder.ConfigureLogging(logging => logging.AddProvider(new TestOutputLoggerProvider("registry")));
        builder.ConfigureTestServices(services => services
            .AddGrpcClient<TrackingClient>()
            .ConfigurePrimaryHttpMessageHandler(() => tracking.Server.CreateHandler()));
    }
}
