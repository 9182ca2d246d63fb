using System.Security.Cryptography;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using MlPlatform.BlobStorage;
using MlPlatform.Hosting.Security;
using Xunit;

namespace MlPlatform.TestSupport.Services;

/// <summary>
/// One MlPlatform service in memory, on real PostgreSQL and RabbitMQ: a database and virtual
/// host of its own on the shared throwaway servers, or with <paramref name="dedicatedBroker"/>
/// a broker of its own that the test may stop and start (an outage).
/// Services accept only calls with an identity signed by the gateway, so the factory plays the
/// gateway: it gives the service a signing secret of its own and signs <see cref="TestIdentity"/>
/// onto every call of <see cref="Channel"/> and of <c>CreateClient()</c>. <see cref="CreateChannel(PlatformIdentity?)"/>
/// gives a channel with another identity or none.
/// </summary>
public class ServiceFactory<TProgram>(bool dedicatedBroker = false) : WebApplicationFactory<TProgram>, IAsyncLifetime
    where TProgram : class
{
    private GrpcChannel? _channel;

    /// <summary>The secret this service verifies identities with (<c>MlPlatform:Identity:SigningKey</c>).</summary>
    public string IdentitySigningKey { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// Who the calls of <see cref="Channel"/> and <c>CreateClient()</c> are made for: by default an
    /// admin recorded as <c>anonymous</c> — the actor service tests saw before identities were required.
    /// </summary>
    public PlatformIdentity TestIdentity { get; set; } = new("anonymous", "anonymous", "admin");

    /// <summary>The environment's name: its database and virtual host are both called so.</summary>
    public string Name { get; private set; } = "";

    public string PostgresConnectionString { get; private set; } = "";

    public string MessagingConnectionString { get; private set; } = "";

    /// <summary>The service's blob folder (<c>MlPlatform:BlobStore:Path</c>): a temporary one of its own, deleted with the factory.</summary>
    public string BlobPath { get; } = Directory.CreateTempSubdirectory("mlplatform-test-blobs-").FullName;

    /// <summary>This factory's own broker, when it was created with a dedicated one.</summary>
    public RabbitMqServer? Broker { get; private set; }

    /// <summary>A gRPC channel to the in-memory service, calling as <see cref="TestIdentity"/>.</summary>
    public GrpcChannel Channel => _channel ??= CreateChannel(() => SignIdentity(TestIdentity));

    /// <summary>A new channel calling as <paramref name="identity"/>, or with no identity at all when it is null. Dispose it.</summary>
    public GrpcChannel CreateChannel(PlatformIdentity? identity) =>
        CreateChannel(identity is null ? () => null : () => SignIdentity(identity));

    /// <summary>A new channel that sends what <paramref name="identityHeader"/> returns as the identity header (null: none) — e.g. a tampered token. Dispose it.</summary>
    public GrpcChannel CreateChannel(Func<string?> identityHeader) =>
        GrpcChannel.ForAddress(Server.BaseAddress, new GrpcChannelOptions
        {
            HttpHandler = new IdentityHeaderHandler(identityHeader) { InnerHandler = Server.CreateHandler() },
            MaxReceiveMessageSize = null,
            MaxSendMessageSize = null,
        });

    /// <summary>An identity token for <paramref name="identity"/> signed with this service's secret, as the gateway would sign it.</summary>
    public string SignIdentity(PlatformIdentity identity, TimeSpan? lifetime = null) =>
        IdentityToken.Sign(identity, DateTimeOffset.UtcNow + (lifetime ?? TimeSpan.FromMinutes(1)), System.Text.Encoding.UTF8.GetBytes(IdentitySigningKey));

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

        await BeforeStartAsync();

        // Start now, so a service that cannot start fails the fixture with its own error.
        _ = Server;
        await AfterStartAsync();
    }

    /// <summary>Runs once the service has started (e.g. to create what every test of the class needs).</summary>
    protected virtual Task AfterStartAsync() => Task.CompletedTask;

    /// <summary>Runs once the database and broker exist, before the service starts (e.g. to start what it calls).</summary>
    protected virtual Task BeforeStartAsync() => Task.CompletedTask;

    public override async ValueTask DisposeAsync()
    {
        _channel?.Dispose();
        await base.DisposeAsync();
        if (Broker is not null)
        {
            await Broker.DisposeAsync();
        }

        Directory.Delete(BlobPath, recursive: true);
        GC.SuppressFinalize(this);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Settings, not configuration sources: the service reads them while it is being built.
        builder.UseSetting("ConnectionStrings:postgres", PostgresConnectionString);
        builder.UseSetting("ConnectionStrings:messaging", MessagingConnectionString);
        builder.UseSetting($"{IdentityOptions.Section}:SigningKey", IdentitySigningKey);
        builder.UseSetting(BlobStoreExtensions.PathSetting, BlobPath);
        ConfigureService(builder);
    }

    /// <summary>HTTP clients from <c>CreateClient()</c> (REST calls) carry <see cref="TestIdentity"/> for an hour.</summary>
    protected override void ConfigureClient(HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Add(PlatformIdentity.Header, SignIdentity(TestIdentity, TimeSpan.FromHours(1)));
    }

    /// <summary>Extra settings for the service under test, e.g. <c>builder.UseSetting(key, value)</c>.</summary>
    protected virtual void ConfigureService(IWebHostBuilder builder)
    {
    }
}

/// <summary>Puts a (freshly signed) identity on every request, as the gateway does.</summary>
internal sealed class IdentityHeaderHandler(Func<string?> identityHeader) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (identityHeader() is { } value)
        {
            request.Headers.TryAddWithoutValidation(PlatformIdentity.Header, value);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
