using Microsoft.AspNetCore.Builder;
using MlPlatform.Api.Deployments.V1;
using MlPlatform.Benchmarks.Harness;

namespace MlPlatform.Benchmarks.Scenarios;

/// <summary>
/// The gateway hop on the cheapest unary call (an empty ListEndpoints answered by an in-process
/// sink): direct to the sink versus through the real gateway, with 1 and 16 concurrent callers on
/// one channel. The ceiling every unary RPC through the gateway is measured against — and, with
/// <c>--gateway-env</c> and <c>--label</c>, the way to measure what a gateway feature (say,
/// authentication) costs per call: compare "gateway CPU per call" between two runs.
/// </summary>
internal sealed class GrpcEchoScenario : IScenario
{
    public string Name => "grpc-echo";

    public string Summary => "Empty unary call direct to an in-process sink vs through the gateway, 1 and 16 callers";

    public IReadOnlyList<OptionSpec> Options => EchoMeasurement.Options;

    public async Task<Report> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var measurement = EchoMeasurement.FromOptions(context);

        await using var stack = new Stack(context);
        var sink = await stack.StartSinkAsync(app => app.MapGrpcService<DeploymentsSink>(), cancellationToken);
        var gateway = await stack.StartGatewayAsync(
            "gateway", new Dictionary<string, Uri> { ["deployments"] = sink.Address }, sink.Address, cancellationToken);
        using var directChannel = stack.CreateChannel(sink.Address);
        using var gatewayChannel = stack.CreateChannel(gateway.GrpcAddress);
        EchoPath[] paths =
        [
            new("direct", "direct to sink", new Deployments.DeploymentsClient(directChannel)),
            new("gateway", "through gateway", new Deployments.DeploymentsClient(gatewayChannel)),
        ];
        var samples = await measurement.SampleAsync(paths, stack.Processes, cancellationToken);

        var report = new Report();
        report.Settings["call"] = "mlplatform.deployments.v1.Deployments/ListEndpoints, empty request and response";
        report.Settings["measurement"] = measurement.Describe("one channel");
        foreach (var callers in measurement.CallerCounts)
        {
            var direct = samples[("direct", callers)];
            var through = samples[("gateway", callers)];
            var ceiling = report.Add($"direct/{callers}", $"direct to sink, {callers} caller(s)", "calls/s", direct.Select(r => r.CallsPerSecond));
            report.Add($"gateway/{callers}", $"through gateway, {callers} caller(s)", "calls/s", through.Select(r => r.CallsPerSecond), [ceiling.Id]);
            report.Add($"p50/direct/{callers}", $"  p50 latency direct, {callers} caller(s)", "µs", direct.Select(r => r.P50Microseconds));
            report.Add($"p50/gateway/{callers}", $"  p50 latency through gateway, {callers} caller(s)", "µs", through.Select(r => r.P50Microseconds));
            report.Add($"p99/direct/{callers}", $"  p99 latency direct, {callers} caller(s)", "µs", direct.Select(r => r.P99Microseconds));
            report.Add($"p99/gateway/{callers}", $"  p99 latency through gateway, {callers} caller(s)", "µs", through.Select(r => r.P99Microseconds));
            report.Add($"hop/{callers}", $"  hop adds to p50 (paired by run), {callers} caller(s)", "µs",
                direct.Zip(through, (d, g) => g.P50Microseconds - d.P50Microseconds));
            report.Add($"gateway-cpu/{callers}", $"  gateway process CPU per call, {callers} caller(s)", "µs",
                through.Select(r => r.CpuMicrosecondsPerCall("gateway")));
            report.Add($"client-cpu/{callers}", $"  benchmark process (client + sink) CPU per call through gateway, {callers} caller(s)", "µs",
                through.Select(r => r.CpuMicrosecondsPerCall(stack.Processes[0].Name)));
            report.Add($"client-cpu-direct/{callers}", $"  benchmark process (client + sink) CPU per call direct, {callers} caller(s)", "µs",
                direct.Select(r => r.CpuMicrosecondsPerCall(stack.Processes[0].Name)));
        }

        report.AddTable(new Table(
            "Machine during the measurements (medians)",
            ["path", "callers", "others (cores)", "machine idle"],
            [.. samples.Select(entry => (IReadOnlyList<string>)
            [
                entry.Key.Path,
                $"{entry.Key.Callers}",
                Units.Number(Statistics.Median([.. entry.Value.Select(r => r.Cpu!.Cores(r.Cpu.Others))])),
                Units.Percent(Statistics.Median([.. entry.Value.Select(r => r.Cpu!.Idle / r.Cpu.MachineTotal)])),
            ])]));
        report.Note("Gateway CPU per call is the steadiest figure on a shared machine: compare it between runs with a gateway feature on and off (--gateway-env, --label).");
        report.Note("The client and the sink share the benchmark process, so 'direct' is client + server in one process over loopback TCP.");
        return report;
    }
}
