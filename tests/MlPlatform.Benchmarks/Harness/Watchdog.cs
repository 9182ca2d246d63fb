using System.Diagnostics;
using System.Runtime.InteropServices;

namespace MlPlatform.Benchmarks.Harness;

/// <summary>
/// Kills the processes this benchmark started if it dies without stopping them (SIGKILL, a crash):
/// a shell in a session of its own polls for the benchmark every second, then kills every process
/// id still listed in a file. PostgreSQL and RabbitMQ have TestSupport's own reaper.
/// </summary>
internal static partial class Watchdog
{
    private const int SigTerm = 15;

    private static readonly Lock s_gate = new();
    private static readonly HashSet<int> s_processIds = [];
    private static readonly string s_listPath = Path.Combine(Path.GetTempPath(), $"mlp-benchmarks-{Environment.ProcessId}.pids");
    private static bool s_started;

    public static void Watch(int processId)
    {
        lock (s_gate)
        {
            if (!s_started)
            {
                Start();
                s_started = true;
            }

            s_processIds.Add(processId);
            Write();
        }
    }

    public static void Forget(int processId)
    {
        lock (s_gate)
        {
            if (s_processIds.Remove(processId))
            {
                Write();
            }
        }
    }

    /// <summary>Asks a process to stop (SIGTERM), as a service manager would.</summary>
    public static void Terminate(int processId) => _ = Kill(processId, SigTerm);

    private static void Write()
    {
        var temporary = s_listPath + ".tmp";
        File.WriteAllText(temporary, string.Join(' ', s_processIds));
        File.Move(temporary, s_listPath, overwrite: true);
    }

    private static void Start()
    {
        var script =
            $"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 1; done; " +
            $"if [ -f '{s_listPath}' ]; then kill -9 $(cat '{s_listPath}') 2>/dev/null; rm -f '{s_listPath}'; fi";
        var startInfo = new ProcessStartInfo("setsid") { UseShellExecute = false };
        foreach (var argument in (string[])["sh", "-c", script])
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("Could not start the watchdog shell.");
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int processId, int signal);
}
