using System.Diagnostics;

namespace MlPlatform.TestSupport;

/// <summary>
/// A long-running server process. It runs in a session of its own, so a Ctrl+C aimed at the test
/// host does not reach it (the <see cref="Reaper"/> decides when it dies), and its output goes to
/// a log file rather than to the test host's standard streams, which a test runner may read.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    // setsid execs in place (a freshly forked child is no group leader), and so does the shell,
    // so the process we start *is* the server: its id is the server's pid and process group id.
    private const string RedirectAndExec = "log=\"$1\"; shift; exec \"$@\" >>\"$log\" 2>&1 </dev/null";

    private readonly Process process;

    private ChildProcess(Process process, string logFile)
    {
        this.process = process;
        LogFile = logFile;
    }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    public string LogFile { get; }

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
            Signals.Send(-Id, Signals.Kill);
            await process.WaitForExitAsync(CancellationToken.None);
        }
    }

    /// <summary>The end of the log, for error messages.</summary>
    public string LogTail(int maxChars = 4000)
    {
        if (!File.Exists(LogFile))
        {
            return "(no log)";
        }

        var text = File.ReadAllText(LogFile);
        return text.Length <= maxChars ? text : "…" + text[^maxChars..];
    }

    public void Dispose() => process.Dispose();
}
