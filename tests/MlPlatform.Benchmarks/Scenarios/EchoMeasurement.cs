using System.Diagnostics;
using MlPlatform.Api.Deployments.V1;
using MlPlatform.Benchmarks.Harness;

namespace MlPlatform.Benchmarks.Scenarios;

/// <summary>
/// What <c>grpc-echo</c> and <c>grpc-echo-auth</c> share: their options, and callers calling the
/// empty ListEndpoints in a loop on one channel per path, after warm-up, once per run and number of callers.
/// </summary>
internal sealed class EchoMeasurement
{
    private readonly ScenarioContext _context;

    private EchoMeasurement(ScenarioContext context)
    {
        _context = context;
        var options = context.Options;
        CallerCounts = options.Ints("callers", [1, 16]);
        Duration = options.Duration("duration", TimeSpan.FromSeconds(5));
        Warmup = options.Duration("warmup", TimeSpan.FromSeconds(1));
        MaxCalls = options.Int("max-calls", 2_000_000);
    }

    public static IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("callers", "Concurrent callers on one channel.", "1,16"),
        new("duration", "How long each measurement runs.", "5s"),
        new("warmup", "Calls before each measurement, untimed, for this long (three times as long once at the start).", "1s"),
        new("max-calls", "Upper bound of calls per measurement (the loop ends at the duration or here).", "2000000"),
    ];

    public IReadOnlyList<int> CallerCounts { get; }

    public TimeSpan Duration { get; }

    public TimeSpan Warmup { get; }

    public int MaxCalls { get; }

    public static EchoMeasurement FromOptions(ScenarioContext context) => new(context);

    /// <summary>The report's "measurement" setting.</summary>
    public string Describe(string channels) =>
        $"{Duration.TotalSeconds:0.#} s per figure and run after {Warmup.TotalSeconds:0.#} s of warm-up, {channels}";

    /// <summary>Every path measured <see cref="ScenarioContext.Runs"/> times per number of callers, with the CPU of <paramref name="processes"/>.</summary>
    public async Task<Dictionary<(string Path, int Callers), List<EchoResult>>> SampleAsync(
        IReadOnlyList<EchoPath> paths, IReadOnlyList<(string Name, int ProcessId)> processes, CancellationToken cancellationToken)
    {
        // Fresh processes: give the JIT time to reach its optimised tier on every path before anything counts.
        _context.Log($"Warming up {string.Join(" and ", paths.Select(p => p.Name))}…");
        foreach (var path in paths)
        {
            await MeasureAsync(path.Client, CallerCounts.Max(), 3 * Warmup, null, cancellationToken);
        }

        var samples = new Dictionary<(string Path, int Callers), List<EchoResult>>();
        for (var run = 1; run <= _context.Runs; run++)
        {
            foreach (var callers in CallerCounts)
            {
                foreach (var path in paths)
                {
                    await MeasureAsync(path.Client, callers, Warmup, null, cancellationToken);
                    var result = await MeasureAsync(path.Client, callers, Duration, processes, cancellationToken);
                    if (!samples.TryGetValue((path.Id, callers), out var list))
                    {
                        samples[(path.Id, callers)] = list = [];
                    }

                    list.Add(result);
                    _context.Log($"run {run}, {callers} caller(s), {path.Name}: {result.CallsPerSecond:0} calls/s, " +
                                 $"p50 {result.P50Microseconds:0} µs, p99 {result.P99Microseconds:0} µs");
                }
            }
        }

        return samples;
    }

    /// <summary>Callers call in a loop on one channel until <paramref name="duration"/> or <see cref="MaxCalls"/>.</summary>
    private async Task<EchoResult> MeasureAsync(
        Deployments.DeploymentsClient client,
        int callers,
        TimeSpan duration,
        IReadOnlyList<(string Name, int ProcessId)>? processes,
        CancellationToken cancellationToken)
    {
        var perCaller = Math.Max(1, MaxCalls / callers);
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
}

/// <summary>One way to the sink: <see cref="Id"/> keys the samples, <see cref="Name"/> is shown.</summary>
internal sealed record EchoPath(string Id, string Name, Deployments.DeploymentsClient Client);

internal sealed record EchoResult(long Calls, double CallsPerSecond, double P50Microseconds, double P99Microseconds, CpuUsage? Cpu)
{
    public double CpuMicrosecondsPerCall(string process) =>
        Cpu is not null && Cpu.Processes.TryGetValue(process, out var cpu) && Calls > 0 ? cpu.TotalMicroseconds / Calls : double.NaN;
}
