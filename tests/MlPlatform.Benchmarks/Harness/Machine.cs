using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace MlPlatform.Benchmarks.Harness;

internal readonly record struct LoadAverage(double OneMinute, double FiveMinutes, double FifteenMinutes)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{OneMinute:0.00} {FiveMinutes:0.00} {FifteenMinutes:0.00}");
}

/// <summary>What Linux says about the machine and its processes (<c>/proc</c>).</summary>
internal static class Machine
{
    private static readonly Lazy<double> s_ticksPerSecond = new(ReadTicksPerSecond);

    public static int Cores => Environment.ProcessorCount;

    public static LoadAverage LoadAverage()
    {
        var parts = File.ReadAllText("/proc/loadavg").Split(' ');
        return new LoadAverage(Parse(parts[0]), Parse(parts[1]), Parse(parts[2]));

        static double Parse(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    public static string CpuModel() =>
        File.ReadLines("/proc/cpuinfo").FirstOrDefault(line => line.StartsWith("model name", StringComparison.Ordinal)) is { } line
            ? line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim()
            : "unknown";

    public static string Runtime => RuntimeInformation.FrameworkDescription;

    /// <summary>A field of <c>/proc/PID/status</c> in bytes (VmHWM is the peak resident set), or null once the process is gone.</summary>
    public static long? StatusBytes(int processId, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{processId}/status"))
            {
                if (line.StartsWith(field + ":", StringComparison.Ordinal))
                {
                    var kib = line[(field.Length + 1)..].Trim().Split(' ')[0];
                    return long.Parse(kib, NumberStyles.Integer, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return null;
    }

    /// <summary>Sets the process's peak resident set (VmHWM) back to its current one; false where Linux does not allow it.</summary>
    public static bool ResetPeakMemory(int processId)
    {
        try
        {
            File.WriteAllText($"/proc/{processId}/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>CPU time (user + system) the process has used, or null once it is gone.</summary>
    public static TimeSpan? CpuTime(int processId)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{processId}/stat");
            // The command name (field 2) is in parentheses and may hold spaces; utime and stime are fields 14 and 15.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / s_ticksPerSecond.Value);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>CPU time the whole machine spent busy and in total, over all cores, since boot.</summary>
    public static (TimeSpan Busy, TimeSpan Total) MachineCpuTime()
    {
        var line = File.ReadLines("/proc/stat").First();
        // cpu user nice system idle iowait irq softirq steal [guest guest_nice — already counted in user]
        var ticks = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
            .Select(field => long.Parse(field, CultureInfo.InvariantCulture)).ToArray();
        var total = ticks.Sum();
        var idle = ticks[3] + ticks[4];
        return (TimeSpan.FromSeconds((total - idle) / s_ticksPerSecond.Value), TimeSpan.FromSeconds(total / s_ticksPerSecond.Value));
    }

    /// <summary>The commit checked out, with "+changes" when the work tree differs from it.</summary>
    public static string GitRevision(string repositoryRoot)
    {
        try
        {
            var head = Run("git", "-C", repositoryRoot, "rev-parse", "--short", "HEAD").Trim();
            var dirty = Run("git", "-C", repositoryRoot, "status", "--porcelain", "--untracked-files=no").Trim().Length > 0;
            return dirty ? head + "+changes" : head;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }

    private static double ReadTicksPerSecond()
    {
        try
        {
            return double.Parse(Run("getconf", "CLK_TCK").Trim(), CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or System.ComponentModel.Win32Exception)
        {
            return 100; // USER_HZ on every Linux this runs on
        }
    }

    private static string Run(string fileName, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(10_000) || process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} failed.");
        }

        return output;
    }
}
