using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using MlPlatform.Api.Deployments.V1;
using MlPlatform.Api.Tracking.V1;
using MlPlatform.Benchmarks.Harness;

namespace MlPlatform.Benchmarks.Scenarios;

/// <summary>
/// What the Tracking scenarios share: PostgreSQL (default durability) and RabbitMQ, the real
/// Tracking process, and the real gateway routing <c>tracking</c> to it and every other service to
/// an in-process sink (so the bare unary echo through the same gateway is one call away).
/// </summary>
internal sealed class TrackingStack : IAsyncDisposable
{
    private readonly ScenarioContext _context;
    private readonly IReadOnlyDictionary<string, string>? _environment;
    private GrpcChannel _channel;

    private TrackingStack(
        ScenarioContext context, Stack stack, SinkServer sink, ServiceProcess tracking, ServiceProcess gateway, IReadOnlyDictionary<string, string>? environment)
    {
        _context = context;
        _environment = environment;
        Stack = stack;
        Sink = sink;
        Service = tracking;
        Gateway = gateway;
        _channel = stack.CreateChannel(gateway.GrpcAddress);
        Client = new Tracking.TrackingClient(_channel);
        Echo = new Deployments.DeploymentsClient(_channel);
    }

    public Stack Stack { get; }

    public SinkServer Sink { get; }

    public ServiceProcess Service { get; private set; }

    public ServiceProcess Gateway { get; }

    /// <summary>Tracking through the gateway, with the stack's API key.</summary>
    public Tracking.TrackingClient Client { get; private set; }

    /// <summary>The cheapest unary call through the same gateway, to the in-process sink (GrpcEchoScenario's call).</summary>
    public Deployments.DeploymentsClient Echo { get; private set; }

    public string PostgresConnectionString => Stack.PostgresConnectionString;

    /// <param name="environment">Set on Tracking and the gateway, e.g. <see cref="PerfProfiler.ServiceEnvironment"/>.</param>
    public static async Task<TrackingStack> StartAsync(
        ScenarioContext context, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? environment = null)
    {
        var stack = new Stack(context);
        try
        {
            var sink = await stack.StartSinkAsync(app => app.MapGrpcService<DeploymentsSink>(), cancellationToken);
            var tracking = await stack.StartServiceAsync("tracking", cancellationToken, environment: environment);
            var gateway = await stack.StartGatewayAsync(
                "gateway", new Dictionary<string, Uri> { ["tracking"] = tracking.GrpcAddress }, sink.Address, cancellationToken, environment);
            return new TrackingStack(context, stack, sink, tracking, gateway, environment);
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the Tracking process and starts a fresh one on the same ports (the gateway keeps routing there).</summary>
    public async Task RestartTrackingAsync(CancellationToken cancellationToken)
    {
        var ports = (Service.GrpcAddress.Port, Service.HttpAddress.Port);
        await Stack.StopAsync(Service);
        Service = await Stack.StartServiceAsync("tracking", cancellationToken, ports, _environment);
        // A new channel: the old one's connection to the gateway is fine, but start clean.
        _channel.Dispose();
        _channel = Stack.CreateChannel(Gateway.GrpcAddress);
        Client = new Tracking.TrackingClient(_channel);
        Echo = new Deployments.DeploymentsClient(_channel);
        // The gateway's connection to the old process is gone: retry until the new one answers.
        await RetryAsync(() => Client.ListExperimentsAsync(new ListExperimentsRequest { PageSize = 1 }, cancellationToken: cancellationToken).ResponseAsync, cancellationToken);
    }

    public async Task<string> CreateExperimentAsync(string prefix, CancellationToken cancellationToken)
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 60)];
        await Client.CreateExperimentAsync(new CreateExperimentRequest { Name = name }, cancellationToken: cancellationToken);
        return name;
    }

    /// <summary>Starts <paramref name="count"/> runs in <paramref name="experiment"/>; returns their ids.</summary>
    public async Task<string[]> StartRunsAsync(string experiment, int count, CancellationToken cancellationToken)
    {
        var runs = new string[count];
        for (var i = 0; i < count; i++)
        {
            runs[i] = (await Client.StartRunAsync(new StartRunRequest { Experiment = experiment, RunName = $"bench-{i}" }, cancellationToken: cancellationToken)).RunId;
        }

        return runs;
    }

    public static async Task<T> RetryAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.Internal && attempt < 20)
            {
                await Task.Delay(100 * Math.Min(attempt, 5), cancellationToken);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _context.Log("Tearing the stack down…");
        _channel.Dispose();
        await Stack.DisposeAsync();
    }
}
