using System.Diagnostics;
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

    public IReadOnlyList<OptionSpec> Options =>
    [
        new("callers", "Concurrent callers on one channel.", "1,16"),
        new("duration", "How long each measurement runs.", "5s"),
        new("warmup", "Calls before each measurement, untimed, for this long (three times as long once at the start).", "1s"),
        new("max-calls", "Upper bound of calls per measurement (the loop ends at the duration or here).", "2000000"),
    ];

    public async Task<Report> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var callerCounts = options.Ints("callers", [1, 16]);
        var duration = options.Duration("duration", TimeSpan.FromSeconds(5));
        var warmup = options.Duration("warmup", TimeSpan.FromSeconds(1));
        var maxCalls = options.Int("max-calls", 2_000_000);

        await using var stack = new Stack(context);
        var sink = await stack.StartSinkAsync(app => app.MapGrpcService<DeploymentsSink>(), cancellationToken);
        var gateway = await stack.StartGatewayAsync(
            "gateway", new Dictionary<string, Uri> { ["deployments"] = sink.Address }, sink.Address, cancellationToken);
        using var directChannel = stack.CreateChannel(sink.Address);
        using var gatewayChannel = stack.CreateChannel(gateway.GrpcAddress);
        var paths = new (string Id, string Name, Deployments.DeploymentsClient Client)[]
        {
            ("direct", "direct to sink", new Deployments.DeploymentsClient(directChannel)),
            ("gateway", "through gateway", new Deployments.DeploymentsClient(gatewayChannel)),
        };

        // Fresh processes: give the JIT time to reach its optimised tier on both paths before anything counts.
        context.Log("Warming up both paths…");
        foreach (var (_, _, client) in paths)
        {
            await MeasureAsync(client, callerCounts.Max(), 3 * warmup, maxCalls, null, cancellationToken);
        }

        var samples = new Dictionary<(string Path, int Callers), List<EchoResult>>();
        for (var run = 1; run <= context.Runs; run++)
        {
            foreach (var callers in callerCounts)
            {
                foreach (var (id, name, client) in paths)
                {
                    await MeasureAsync(client, callers, warmup, maxCalls, null, cancellationToken);
                    var result = await MeasureAsync(client, callers, duration, maxCalls, stack.Processes, cancellationToken);
                    if (!samples.TryGetValue((id, callers), out var list))
                    {
                        samples[(id, callers)] = list = [];
                    }

                    list.Add(result);
                    context.Log($"run {run}, {callers} caller(s), {name}: {result.CallsPerSecond:0} calls/s, " +
                                $"p50 {result.P50Microseconds:0} µs, p99 {result.P99Microseconds:0} µs");
                }
            }
        }

        var report = new Report();
        report.Settings["call"] = "mlplatform.deployments.v1.Deployments/ListEndpoints, empty request and response";
        report.Settings["measurement"] = $"{duration.TotalSeconds:0.#} s per figure and run after {warmup.TotalSeconds:0.#} s of warm-up, one channel";
        foreach (var callers in callerCounts)
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

    /// <summary>Callers call in a loop on one channel until <paramref name="duration"/> or <paramref name="maxCalls"/>.</summary>
    private static async Task<EchoResult> MeasureAsync(
        Deployments.DeploymentsClient client,
        int callers,
        TimeSpan duration,
        int maxCalls,
        IReadOnlyList<(string Name, int ProcessId)>? processes,
        CancellationToken cancellationToken)
    {
        var perCaller = Math.Max(1, maxCalls / callers);
        var latencies = new long[callers][];
        var counts = new int[callers];
        var request = new ListEndpointsRequest();
        var meter = processes is null ? null : CpuMeter.Start(processes);
        var start = Stopwatch.GetTimestamp();
        var stopAt = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
        {
            var mine = latencies[caller] = new long[perCaller];
            var count = 0;
            while (count < perCaller && Stopwatch.GetTimestamp() < stopAt)
            {
                var before = Stopwatch.GetTimestamp();
                await client.ListEndpointsAsync(request, cancellationToken: cancellationToken);
                mine[count++] = Stopwatch.GetTimestamp() - before;
            }

            counts[caller] = count;
        }, cancellationToken)));
        var elapsed = Stopwatch.GetElapsedTime(start);
        var cpu = meter?.Stop();

        var all = latencies.SelectMany((l, caller) => l.Take(counts[caller])).ToArray();
        Array.Sort(all);
        var toMicroseconds = 1e6 / Stopwatch.Frequency;
        return new EchoResult(
            all.Length,
            all.Length / elapsed.TotalSeconds,
            Statistics.Percentile(all, 0.50) * toMicroseconds,
            Statistics.Percentile(all, 0.99) * toMicroseconds,
            cpu);
    }

    private sealed record EchoResult(long Calls, double CallsPerSecond, double P50Microseconds, double P99Microseconds, CpuUsage? Cpu)
    {
        public double CpuMicrosecondsPerCall(string process) =>
            Cpu is not null && Cpu.Processes.TryGetValue(process, out var cpu) && Calls > 0 ? cpu.TotalMicroseconds / Calls : double.NaN;
    }
}
