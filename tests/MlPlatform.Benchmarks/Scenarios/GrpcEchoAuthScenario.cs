using System.Net.Http.Headers;
using System.Security.Cryptography;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using MlPlatform.Api.Deployments.V1;
using MlPlatform.Benchmarks.Harness;
using MlPlatform.TestSupport;

namespace MlPlatform.Benchmarks.Scenarios;

/// <summary>
/// What gateway security costs per call: the cheapest unary call (an empty ListEndpoints answered
/// by an in-process sink) through two real gateways side by side — one with authentication off
/// (<c>MlPlatform:Gateway:AuthenticationEnabled=false</c>), one with it on (API key check from the
/// in-memory cache, per-key token bucket, role table, signed identity forwarded) — with 1 and 16
/// concurrent callers on one channel each. The goal: at most 10 % fewer calls/s with it on.
/// The gateway with authentication needs PostgreSQL for its key store; the calls never reach it
/// (the bootstrap admin key is checked from configuration, other keys from the cache).
/// </summary>
internal sealed class GrpcEchoAuthScenario : IScenario
{
    public string Name => "grpc-echo-auth";

    public string Summary => "Empty unary call through the gateway with authentication off vs on, 1 and 16 callers";

    public IReadOnlyList<OptionSpec> Options => EchoMeasurement.Options;

    public async Task<Report> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var measurement = EchoMeasurement.FromOptions(context);

        await using var stack = new Stack(context);
        var sink = await stack.StartSinkAsync(app => app.MapGrpcService<DeploymentsSink>(), cancellationToken);
        context.Log("Starting PostgreSQL for the key store…");
        await using var postgres = await PostgresServer.StartAsync(PostgresDurability.Default, cancellationToken);
        var database = await postgres.CreateDatabaseAsync("gateway", cancellationToken);
        var adminKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var logs = Directory.CreateDirectory(Path.Combine(context.WorkDirectory, "logs")).FullName;

        var common = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var service in Stack.GatewayServices)
        {
            common[$"services__{service}__grpc__0"] = sink.Address.ToString().TrimEnd('/');
        }

        var off = new Dictionary<string, string>(common) { ["MlPlatform__Gateway__AuthenticationEnabled"] = "false" };
        var on = new Dictionary<string, string>(common)
        {
            ["ConnectionStrings__postgres"] = database,
            ["MlPlatform__Gateway__AdminApiKey"] = adminKey,
            ["MlPlatform__Identity__SigningKey"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
            // The limit is not what is measured: make it unreachable.
            ["MlPlatform__Gateway__RateLimit__TokenLimit"] = "100000000",
            ["MlPlatform__Gateway__RateLimit__TokensPerPeriod"] = "100000000",
        };
        var assembly = context.Repository.ProjectAssembly("MlPlatform.Gateway");
        context.Log("Starting the gateway with authentication off and the one with it on…");
        await using var gatewayOff = await ServiceProcess.StartAsync("gateway-auth-off", assembly, FreePort.Next(), FreePort.Next(), off, logs, cancellationToken);
        await using var gatewayOn = await ServiceProcess.StartAsync("gateway-auth-on", assembly, FreePort.Next(), FreePort.Next(), on, logs, cancellationToken);
        (string Name, int ProcessId)[] processes =
        [
            ("benchmark (client + sink)", Environment.ProcessId),
            (gatewayOff.Name, gatewayOff.ProcessId),
            (gatewayOn.Name, gatewayOn.ProcessId),
        ];

        using var offChannel = GrpcChannel.ForAddress(gatewayOff.GrpcAddress);
        using var onChannel = GrpcChannel.ForAddress(gatewayOn.GrpcAddress, new GrpcChannelOptions
        {
            HttpHandler = new BearerHandler(adminKey) { InnerHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = false } },
        });
        EchoPath[] paths =
        [
            new("off", gatewayOff.Name, new Deployments.DeploymentsClient(offChannel)),
            new("on", gatewayOn.Name, new Deployments.DeploymentsClient(onChannel)),
        ];
        var samples = await measurement.SampleAsync(paths, processes, cancellationToken);

        var report = new Report();
        report.Settings["call"] = "mlplatform.deployments.v1.Deployments/ListEndpoints, empty request and response, through the gateway";
        report.Settings["measurement"] = measurement.Describe("one channel per gateway");
        foreach (var callers in measurement.CallerCounts)
        {
            var offSamples = samples[("off", callers)];
            var onSamples = samples[("on", callers)];
            var ceiling = report.Add($"off/{callers}", $"authentication off, {callers} caller(s)", "calls/s", offSamples.Select(s => s.CallsPerSecond));
            report.Add($"on/{callers}", $"authentication on, {callers} caller(s)", "calls/s", onSamples.Select(s => s.CallsPerSecond), [ceiling.Id], goal: 0.9);
            report.Add($"p50/off/{callers}", $"  p50 latency, authentication off, {callers} caller(s)", "µs", offSamples.Select(s => s.P50Microseconds));
            report.Add($"p50/on/{callers}", $"  p50 latency, authentication on, {callers} caller(s)", "µs", onSamples.Select(s => s.P50Microseconds));
            report.Add($"cpu/off/{callers}", $"  gateway CPU per call, authentication off, {callers} caller(s)", "µs", offSamples.Select(s => s.CpuMicrosecondsPerCall(gatewayOff.Name)));
            report.Add($"cpu/on/{callers}", $"  gateway CPU per call, authentication on, {callers} caller(s)", "µs", onSamples.Select(s => s.CpuMicrosecondsPerCall(gatewayOn.Name)));
        }

        report.Note("Both gateways run at once but are measured one after the other; the idle one costs next to nothing.");
        report.Note("Gateway CPU per call is the steadiest figure on a shared machine; the difference between on and off is what security costs.");
        return report;
    }

    private sealed class BearerHandler(string apiKey) : DelegatingHandler
    {
        private readonly AuthenticationHeaderValue _header = new("Bearer", apiKey);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Authorization = _header;
            return base.SendAsync(request, cancellationToken);
        }
    }
}
