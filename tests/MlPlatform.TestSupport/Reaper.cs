namespace MlPlatform.TestSupport;

/// <summary>
/// Makes sure servers die with the test host. At a normal exit it disposes whatever is still
/// registered. If the host dies without that (an unhandled exception, or a signal: here SIGTERM and
/// SIGINT end the host without ProcessExit), a watchdog shell that polls for the host every second
/// runs the cleanup scripts the servers registered.
/// </summary>
internal static class Reaper
{
    private static readonly Lock s_gate = new();
    private static readonly List<Registration> s_registrations = [];
    private static readonly string s_scriptPath =
        Path.Combine(Path.GetTempPath(), $"mlp-test-reaper-{Environment.ProcessId}.sh");

    private static bool s_watching;

    /// <summary>
    /// Registers <paramref name="owner"/> to be disposed at process exit and <paramref name="cleanupScript"/>
    /// (shell) to run if the process dies first. Dispose the result once the owner has cleaned up itself.
    /// </summary>
    public static IDisposable Register(IAsyncDisposable owner, string cleanupScript)
    {
        var registration = new Registration(owner, cleanupScript);
        lock (s_gate)
        {
            if (!s_watching)
            {
                StartWatchdog();
                AppDomain.CurrentDomain.ProcessExit += (_, _) => DisposeAll();
                s_watching = true;
            }

            s_registrations.Add(registration);
            WriteScript();
        }

        return registration;
    }

    private static void Unregister(Registration registration)
    {
        lock (s_gate)
        {
            if (s_registrations.Remove(registration))
            {
                WriteScript();
            }
        }
    }

    private static void WriteScript()
    {
        // Each cleanup runs in the background so that one slow server does not hold up the rest.
        // The watchdog is dash: its kill wants "-s SIGNAL" and "--" before process groups.
        var script = string.Concat(s_registrations.Select(r => $"( {r.CleanupScript} ) &\n")) + "wait\n";
        var temporary = s_scriptPath + ".tmp";
        File.WriteAllText(temporary, script);
        File.Move(temporary, s_scriptPath, overwrite: true);
    }

    private static void StartWatchdog()
    {
        var script = Shell.Quote(s_scriptPath);
        var watchdog =
            $"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 1; done; " +
            $"if [ -f {script} ]; then . {script}; rm -f {script}; fi";
        using var process = ChildProcess.Start("/dev/null", new Dictionary<string, string>(), "sh", "-c", watchdog);
    }

    private static void DisposeAll()
    {
        Registration[] remaining;
        lock (s_gate)
        {
            remaining = [.. s_registrations];
        }

        foreach (var registration in remaining)
        {
            try
            {
                // Blocking is all a ProcessExit handler can do.
                registration.Owner.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(15));
            }
            catch (AggregateException)
            {
                // The process is exiting anyway; the watchdog still has this server's cleanup script.
            }
        }

        lock (s_gate)
        {
            if (s_registrations.Count == 0)
            {
                File.Delete(s_scriptPath);
            }
        }
    }

    private sealed class Registration(IAsyncDisposable owner, string cleanupScript) : IDisposable
    {
        public IAsyncDisposable Owner { get; } = owner;

        public string CleanupScript { get; } = cleanupScript;

        public void Dispose() => Unregister(this);
    }
}
