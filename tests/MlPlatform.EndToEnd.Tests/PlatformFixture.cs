using System.Net.Http.Headers;
using System.Security.Cryptography;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Grpc.Net.Client;
using Xunit;

namespace MlPlatform.EndToEnd.Tests;

/// <summary>
/// The test classes share one platform. It takes a while to start, and when each class started its
/// own, two of them starting side by side (beside the other test assemblies) on a 2-core machine
/// once ran past the start timeout.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<PlatformFixture>
{
    public const string Name = "platform";
}

/// <summary>
/// The whole platform started through the AppHost, as <c>dotnet run</c> would, with its own
/// state folder and gateway ports so it can run beside a developer's stack, and its own secrets
/// (given as parameters, so nothing is generated into the developer's user secrets).
/// </summary>
public sealed class PlatformFixture : IAsyncLifetime
{
    public static readonly string[] Services = ["datasets", "tracking", "registry", "builds", "deployments"];

    private static readonly TimeSpan s_startTimeout = TimeSpan.FromMinutes(4);

    private DirectoryInfo? _state;

    public DistributedApplication App { get; private set; } = null!;

    /// <summary>The bootstrap admin key (AppHost parameter <c>admin-api-key</c>).</summary>
    public string AdminApiKey { get; } = "e2e" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    /// <summary>The secret gateway and services share (AppHost parameter <c>identity-signing-key</c>).</summary>
    public string IdentitySigningKey { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>gRPC through the gateway, as the bootstrap admin.</summary>
    public GrpcChannel Gateway { get; private set; } = null!;

    /// <summary>REST and health through the gateway, as the bootstrap admin.</summary>
    public HttpClient GatewayHttp { get; private set; } = null!;

    public Uri GatewayGrpcAddress => App.GetEndpoint("gateway", "grpc");

    /// <summary>A channel to the gateway with <paramref name="apiKey"/> as bearer token, or no key. Dispose it.</summary>
    public GrpcChannel GatewayChannel(string? apiKey) =>
        GrpcChannel.ForAddress(GatewayGrpcAddress, new GrpcChannelOptions
        {
            HttpHandler = new BearerHandler(apiKey) { InnerHandler = new SocketsHttpHandler() },
            MaxReceiveMessageSize = null,
            MaxSendMessageSize = null,
        });

    /// <summary>A channel straight to <paramref name="service"/>'s gRPC endpoint, bypassing the gateway. Dispose it.</summary>
    public GrpcChannel ServiceChannel(string service) => GrpcChannel.ForAddress(App.GetEndpoint(service, "grpc"));

    public async ValueTask InitializeAsync()
    {
        // PostgreSQL runs as the postgres user, which must be able to reach its data folder.
        _state = Directory.CreateTempSubdirectory("mlp-e2e-");
        if (!OperatingSystem.IsWindows())
        {
            _state.UnixFileMode |= UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        }

        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.MlPlatform_AppHost>(
            [
                $"MlPlatform:StateDirectory={_state.FullName}",
                $"Parameters:admin-api-key={AdminApiKey}",
                $"Parameters:identity-signing-key={IdentitySigningKey}",
                // Aspire's default wait for its orchestrator's dependency check once ran out while
                // the other test assemblies loaded both cores (dotnet test runs them side by side),
                // failing the whole fixture. The start timeout below still bounds the start.
                "DcpPublisher:DependencyCheckTimeout=180",
            ],
            (options, _) => options.DisableDashboard = true);

        App = await builder.BuildAsync();
        using var timeout = new CancellationTokenSource(s_startTimeout);
        await App.StartAsync(timeout.Token);
        await App.ResourceNotifications.WaitForResourceHealthyAsync("gateway", timeout.Token);

        Gateway = GatewayChannel(AdminApiKey);
        GatewayHttp = new HttpClient { BaseAddress = App.GetEndpoint("gateway", "http") };
        GatewayHttp.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminApiKey);
    }

    public async ValueTask DisposeAsync()
    {
        Gateway?.Dispose();
        GatewayHttp?.Dispose();
        if (App is not null)
        {
            await App.DisposeAsync();
        }

        _state?.Delete(recursive: true);
    }
}

/// <summary>Sends an API key as <c>Authorization: Bearer</c>.</summary>
internal sealed class BearerHandler(string? apiKey) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (apiKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
