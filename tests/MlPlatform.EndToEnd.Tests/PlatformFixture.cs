using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Grpc.Net.Client;
using MlPlatform.TestSupport;
using Xunit;

namespace MlPlatform.EndToEnd.Tests;

/// <summary>
/// The whole platform started through the AppHost, as <c>dotnet run</c> would, with its own
/// state folder and gateway ports so it can run beside a developer's stack.
/// </summary>
public sealed class PlatformFixture : IAsyncLifetime
{
    public static readonly string[] Services = ["datasets", "tracking", "registry", "builds", "deployments"];

    private static readonly TimeSpan s_startTimeout = TimeSpan.FromMinutes(4);

    private DirectoryInfo? _state;

    public DistributedApplication App { get; private set; } = null!;

    /// <summary>gRPC through the gateway.</summary>
    public GrpcChannel Gateway { get; private set; } = null!;

    /// <summary>REST and health through the gateway.</summary>
    public HttpClient GatewayHttp { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        // PostgreSQL runs as the postgres user, which must be able to reach its data folder.
        _state = Directory.CreateTempSubdirectory("mlp-e2e-");
        _state.UnixFileMode |= UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        var grpcPort = FreePort.Next();
        var httpPort = FreePort.Next();

        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.MlPlatform_AppHost>(
            [
                $"MlPlatform:StateDirectory={_state.FullName}",
                $"MlPlatform:Gateway:GrpcPort={grpcPort}",
                $"MlPlatform:Gateway:HttpPort={httpPort}",
            ],
            (options, _) => options.DisableDashboard = true);

        App = await builder.BuildAsync();
        using var timeout = new CancellationTokenSource(s_startTimeout);
        await App.StartAsync(timeout.Token);
        await App.ResourceNotifications.WaitForResourceHealthyAsync("gateway", timeout.Token);

        Gateway = GrpcChannel.ForAddress($"http://localhost:{grpcPort}");
        GatewayHttp = new HttpClient { BaseAddress = new Uri($"http://localhost:{httpPort}") };
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
