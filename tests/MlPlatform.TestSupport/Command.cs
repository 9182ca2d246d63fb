using System.Diagnostics;

namespace MlPlatform.TestSupport;

/// <summary>Runs a short-lived command to completion and returns its output.</summary>
internal static class Command
{
    public static async Task<string> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        var commandLine = string.Join(' ', [fileName, .. startInfo.ArgumentList]);
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {commandLine}");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(timeoutSource.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"{commandLine} did not finish within {timeout.TotalSeconds:0} s");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{commandLine} exited with code {process.ExitCode}:\n{await output}{await error}");
        }

        return await output;
    }
}
