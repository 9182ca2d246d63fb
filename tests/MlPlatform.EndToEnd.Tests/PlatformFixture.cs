using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Grpc.Net.Client;
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
        if (!OperatingSystem.IsWindows())
        {
            _state.UnixFileMode |= UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        }

        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.MlPlatform_AppHost>(
            [
                $"MlPlatform:StateDirectory={_state.FullName}",
            ],
            (options, _) => options.DisableDashboard = true);

        App = await builder.BuildAsync();
        using var timeout = new CancellationTokenSource(s_startTimeout);
        await App.StartAsync(timeout.Token);
        await App.ResourceNotifications.WaitForResourceHealthyAsync("gateway", timeout.Token);

        Gateway = GrpcChannel.ForAddress(App.GetEndpoint("gateway", "grpc"));
        GatewayHttp = new HttpClient { BaseAddress = App.GetEndpoint("gateway", "http") };
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
