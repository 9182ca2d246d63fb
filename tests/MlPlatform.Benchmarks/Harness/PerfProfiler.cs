using System.Diagnostics;
using System.Text.RegularExpressions;

namespace MlPlatform.Benchmarks.Harness;

/// <summary>
/// Samples processes with Linux <c>perf</c> while a workload runs, and turns the profile into
/// tables of the hottest frames (self time, and inclusive time of managed frames). dotnet-trace and
/// dotnet-counters are not on these machines; perf is. The processes must have been started with
/// <see cref="ServiceEnvironment"/> so perf can name JIT-compiled methods.
/// </summary>
internal static partial class PerfProfiler
{
    private const int TopFrames = 25;

    /// <summary>
    /// Makes the runtime write /tmp/perf-PID.map (3: the map only, no jitdump), which perf reads to
    /// name JIT-compiled code, and map that code once (no W^X double mapping), so samples land on the
    /// addresses the map names. <see cref="ServiceProcess"/> deletes the map when the process stops.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> ServiceEnvironment =
        new Dictionary<string, string>(StringComparer.Ordinal) { ["DOTNET_PerfMapEnabled"] = "3", ["DOTNET_EnableWriteXorExecute"] = "0" };

    /// <summary>Deletes what the runtime wrote for perf about a process that has exited.</summary>
    public static void DeleteMaps(int processId)
    {
        foreach (var file in (string[])[$"/tmp/perf-{processId}.map", $"/tmp/perfinfo-{processId}.map", $"/tmp/jit-{processId}.dump"])
        {
            File.Delete(file);
        }
    }

    public static async Task<IReadOnlyList<Table>> ProfileAsync(
        IReadOnlyList<(string Name, int ProcessId)> targets, string directory, Func<Task> workload, CancellationToken cancellationToken)
    {
        if (!File.Exists("/usr/bin/perf"))
        {
            return [new Table("perf", ["note"], [["perf is not installed (apt-get install linux-perf); no profile taken."]])];
        }

        Directory.CreateDirectory(directory);
        var recorders = new List<(string Name, int ProcessId, Process Perf, string Data)>();
        try
        {
            foreach (var (name, processId) in targets)
            {
                var data = Path.Combine(directory, $"{name}.data");
                var perf = Start("perf", "record", "-F", "999", "-g", "-p", $"{processId}", "-o", data, "--quiet");
                recorders.Add((name, processId, perf, data));
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken); // perf attaches to every thread
            await workload();
        }
        finally
        {
            foreach (var (_, _, perf, _) in recorders)
            {
                Watchdog.Terminate(perf.Id);
            }

            foreach (var (_, _, perf, _) in recorders)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                await perf.WaitForExitAsync(timeout.Token);
                perf.Dispose();
            }
        }

        var tables = new List<Table>();
        foreach (var (name, processId, _, data) in recorders)
        {
            var self = await ReportAsync(data, "--no-children", directory, $"{name}-self.txt", cancellationToken);
            var inclusive = await ReportAsync(data, "--children", directory, $"{name}-inclusive.txt", cancellationToken);
            tables.Add(new Table($"perf, {name}: hottest frames by self time (% of the process's samples)", ["self %", "module", "frame"], Top(self, _ => true)));
            tables.Add(new Table(
                $"perf, {name}: managed frames by inclusive time (callees included)",
                ["incl. %", "module", "frame"],
                Top(inclusive, row => row[2].Contains("::", StringComparison.Ordinal))));
        }

        return tables;
    }

    private static async Task<string> ReportAsync(string data, string mode, string directory, string fileName, CancellationToken cancellationToken)
    {
        using var report = Start(
            "perf", "report", "-i", data, "--stdio", mode, "-g", "none", "--sort", "dso,symbol", "--percent-limit", "0.5");
        var output = await report.StandardOutput.ReadToEndAsync(cancellationToken);
        await report.WaitForExitAsync(cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(directory, fileName), output, cancellationToken);
        return output;
    }

    /// <summary>Rows of "12.34%  dso  [.] symbol" (with --children, the first column is the inclusive share).</summary>
    private static List<IReadOnlyList<string>> Top(string report, Func<IReadOnlyList<string>, bool> keep) =>
    [
        .. report.Split('\n')
            .Select(line => ReportLine().Match(line))
            .Where(match => match.Success)
            .Select(match => (IReadOnlyList<string>)[match.Groups["percent"].Value, Module(match.Groups["dso"].Value), Shorten(match.Groups["symbol"].Value)])
            .Where(keep)
            .Take(TopFrames),
    ];

    private static string Module(string dso) => dso.StartsWith("[JIT]", StringComparison.Ordinal) ? "JIT" : dso;

    private static string Shorten(string symbol)
    {
        // perf appends IPC columns ("-      -") after the symbol; perf-map names carry the whole
        // signature and the JIT tier, of which the type and method are kept.
        var text = symbol.Trim();
        var columns = text.IndexOf("   ", StringComparison.Ordinal);
        text = columns > 0 ? text[..columns] : text;
        if (ManagedName().Match(text) is { Success: true } managed)
        {
            text = managed.Groups["name"].Value;
        }
        return text.Length <= 140 ? text : text[..140] + "…";
    }

    private static Process Start(string fileName, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(fileName) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = false };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        return Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {fileName}.");
    }

    // "    12.34%  libcoreclr.so  [.] WKS::gc_heap::mark_object_simple"; with --children two percentages lead.
    // JIT-compiled code is in dso "[JIT] tid 1234".
    [GeneratedRegex(@"^\s+(?<percent>\d+\.\d+)%\s+(?:\d+\.\d+%\s+)?(?<dso>.+?)\s+\[[.k]\]\s+(?<symbol>.+)$")]
    private static partial Regex ReportLine();

    // "instance void [MlPlatform.Datasets] MlPlatform.Datasets.Csv.CsvParser::ParseCore(valuetype …)[OptimizedTier1]"
    [GeneratedRegex(@"\]\s(?<name>[^\s(]+::[^\s(]+)\(")]
    private static partial Regex ManagedName();
}
