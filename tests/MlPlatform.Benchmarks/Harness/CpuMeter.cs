using System.Diagnostics;

namespace MlPlatform.Benchmarks.Harness;

/// <summary>
/// Where the CPU went during one measurement: each named process of ours, and the rest of the
/// machine (other engineers' builds and tests share its cores). On 2 cores this is what explains
/// a throughput: when the machine has no idle time left, the path that needs less CPU per byte wins.
/// </summary>
internal sealed class CpuMeter
{
    private readonly IReadOnlyList<(string Name, int ProcessId)> _processes;
    private readonly TimeSpan?[] _start;
    private readonly (TimeSpan Busy, TimeSpan Total) _machineStart;
    private readonly long _clockStart;

    private CpuMeter(IReadOnlyList<(string Name, int ProcessId)> processes)
    {
        _processes = processes;
        _start = [.. processes.Select(p => Machine.CpuTime(p.ProcessId))];
        _machineStart = Machine.MachineCpuTime();
        _clockStart = Stopwatch.GetTimestamp();
    }

    public static CpuMeter Start(IReadOnlyList<(string Name, int ProcessId)> processes) => new(processes);

    public CpuUsage Stop()
    {
        var wall = Stopwatch.GetElapsedTime(_clockStart);
        var machine = Machine.MachineCpuTime();
        var perProcess = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        for (var i = 0; i < _processes.Count; i++)
        {
            var (name, processId) = _processes[i];
            if (_start[i] is { } start && Machine.CpuTime(processId) is { } end)
            {
                perProcess[name] = perProcess.GetValueOrDefault(name) + (end - start);
            }
        }

        var busy = machine.Busy - _machineStart.Busy;
        var total = machine.Total - _machineStart.Total;
        return new CpuUsage(wall, perProcess, busy, total);
    }
}

/// <param name="MachineBusy">CPU time the whole machine was busy, summed over cores.</param>
/// <param name="MachineTotal">CPU time available on all cores (≈ wall × cores).</param>
internal sealed record CpuUsage(TimeSpan Wall, IReadOnlyDictionary<string, TimeSpan> Processes, TimeSpan MachineBusy, TimeSpan MachineTotal)
{
    /// <summary>CPU time of processes that are not ours.</summary>
    public TimeSpan Others => MachineBusy - Processes.Values.Aggregate(TimeSpan.Zero, (sum, t) => sum + t) is var others && others > TimeSpan.Zero
        ? others
        : TimeSpan.Zero;

    public TimeSpan Idle => MachineTotal - MachineBusy;

    /// <summary>Average cores used over the measurement.</summary>
    public double Cores(TimeSpan cpu) => cpu / Wall;
}
