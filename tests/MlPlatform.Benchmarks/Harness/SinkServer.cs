using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MlPlatform.Benchmarks.Harness;

/// <summary>
/// A gRPC server inside the benchmark process that implements platform RPCs as cheaply as possible
/// (see <c>Scenarios/Sinks.cs</c>): the ceiling a real service is compared with. Kestrel and gRPC
/// run with their defaults, as the services do, on a cleartext HTTP/2 loopback port.
/// </summary>
internal sealed class SinkServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SinkServer(WebApplication app, int port)
    {
        _app = app;
        Address = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri Address { get; }

    /// <param name="map">Maps the sink services, e.g. <c>app => app.MapGrpcService&lt;DatasetsSink&gt;()</c>.</param>
    public static async Task<SinkServer> StartAsync(int port, Action<WebApplication> map, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        // Not the console lifetime: SIGTERM and Ctrl+C belong to the benchmark, which stops the sink itself.
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        var app = builder.Build();
        map(app);
        await app.StartAsync(cancellationToken);
        return new SinkServer(app, port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    private sealed class EmbeddedLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
