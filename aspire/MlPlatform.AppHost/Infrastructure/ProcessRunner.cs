using System.Diagnostics;

namespace MlPlatform.AppHost.Infrastructure;

/// <summary>The outcome of a helper command: stdout and stderr interleaved in <see cref="Output"/>.</summary>
internal sealed record ProcessResult(int ExitCode, bool TimedOut, string Output, string Errors)
{
    public bool Succeeded => !TimedOut && ExitCode == 0;

    /// <summary>The last line a failing tool wrote to stderr is usually the reason (e.g. "Cannot connect to the Docker daemon").</summary>
    public string Reason => LastLine(Errors) ?? LastLine(Output) ?? $"exit code {ExitCode}";

    private static string? LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
}

/// <summary>Runs short helper commands (<c>docker info</c>, <c>initdb</c>, <c>chown</c>) to completion.</summary>
internal static class ProcessRunner
{
    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        TimeSpan timeout,
        string? workingDirectory = null,
        CancellationToken cancellationToken = default)
    {
        var startInfo = new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var output = new ProcessOutput(process);
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            // With BeginOutputReadLine this also waits for both pipes to drain.
            await process.WaitForExitAsync(timeoutSource.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            cancellationToken.ThrowIfCancellationRequested();
            return new ProcessResult(-1, TimedOut: true, output.All, output.Errors);
        }

        return new ProcessResult(process.ExitCode, TimedOut: false, output.All, output.Errors);
    }

    /// <summary>Collects stdout and stderr line by line, interleaved as they arrive.</summary>
    private sealed class ProcessOutput
    {
        private readonly List<(string Line, bool IsError)> _lines = [];

        public ProcessOutput(Process process)
        {
            process.OutputDataReceived += (_, e) => Add(e.Data, isError: false);
            process.ErrorDataReceived += (_, e) => Add(e.Data, isError: true);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public string All => Join(_ => true);

        public string Errors => Join(line => line.IsError);

        private string Join(Func<(string Line, bool IsError), bool> include)
        {
            lock (_lines)
            {
                return string.Join('\n', _lines.Where(include).Select(line => line.Line));
            }
        }

        private void Add(string? line, bool isError)
        {
            if (line is null)
            {
                return;
            }

            lock (_lines)
            {
                _lines.Add((line, isError));
            }
        }
    }
}
