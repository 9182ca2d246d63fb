using System.Diagnostics;

namespace MlPlatform.TestSupport;

/// <summary>
/// A long-running server process. It runs in a session of its own, so a Ctrl+C aimed at the test
/// host does not reach it (the <see cref="Reaper"/> decides when it dies), and its output goes to
/// a log file rather than to the test host's standard streams, which a test runner may read.
/// </summary>
internal sealed class ChildProcess(Process process, string logFile) : IDisposable
{
    // setsid execs in place (a freshly forked child is no group leader), and so does the shell,
    // so the process we start *is* the server: its id is the server's pid and process group id.
    private const string RedirectAndExec = "log=\"$1\"; shift; exec \"$@\" >>\"$log\" 2>&1 </dev/null";

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    public static ChildProcess Start(
        string logFile,
        IReadOnlyDictionary<string, string> environment,
        string fileName,
        params IEnumerable<string> arguments)
    {
        var startInfo = new ProcessStartInfo("setsid") { UseShellExecute = false };
        foreach (var argument in (string[])["sh", "-c", RedirectAndExec, "mlp-child", logFile, fileName, .. arguments])
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {fileName}");
        return new ChildProcess(process, logFile);
    }

    /// <summary>Sends <paramref name="signal"/>, waits up to <paramref name="grace"/>, then kills the process group.</summary>
    public async Task StopAsync(int signal, TimeSpan grace)
    {
        if (process.HasExited)
        {
            return;
        }

        Signals.Send(Id, signal);
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
        }
    }

    /// <summary>Kills the whole process group: a wrapper script's children die with it.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited)
        {
            Signals.Send(-Id, Signals.Kill);
            await process.WaitForExitAsync(CancellationToken.None);
        }
    }

    /// <summary>The end of this process's output, for error messages.</summary>
    public string LogTail() => Tail(logFile);

    /// <summary>The end of a log file, for error messages.</summary>
    public static string Tail(string path, int maxChars = 4000)
    {
        if (!File.Exists(path))
        {
            return "(no log)";
        }

        var text = File.ReadAllText(path);
        return text.Length <= maxChars ? text : "…" + text[^maxChars..];
    }

    public void Dispose() => process.Dispose();
}
