using Microsoft.Extensions.Logging;

namespace MlPlatform.AppHost.Infrastructure;

/// <summary>Gets the data directory ready before each start: owned folders, initdb once, no stale lock file.</summary>
internal sealed class PostgresDataDirectory(PostgresLayout layout, PostgresCommands commands)
{
    private static readonly TimeSpan s_initDbTimeout = TimeSpan.FromMinutes(2);

    public async Task PrepareAsync(ILogger logger, CancellationToken cancellationToken)
    {
        await CreateOwnedDirectoriesAsync([layout.Root, layout.SocketDirectory], cancellationToken);
        if (!File.Exists(Path.Combine(layout.DataDirectory, "PG_VERSION")))
        {
            await InitializeAsync(logger, cancellationToken);
        }

        RemoveStalePidFile(logger);
    }

    private async Task CreateOwnedDirectoriesAsync(string[] directories, CancellationToken cancellationToken)
    {
        foreach (var directory in directories)
        {
            // Default permissions: the postgres user must be able to traverse the state folder; initdb makes data/ private.
            Directory.CreateDirectory(directory);
        }

        if (commands.SwitchesUser)
        {
            var owner = $"{PostgresCommands.OsUser}:{PostgresCommands.OsUser}";
            await RunCheckedAsync(new CommandLine("chown", [owner, .. directories]), TimeSpan.FromSeconds(10), cancellationToken);
        }
    }

    private async Task InitializeAsync(ILogger logger, CancellationToken cancellationToken)
    {
        // initdb into a scratch folder and rename it: an initdb killed halfway must not leave a folder that looks initialised.
        var dataDirectory = layout.DataDirectory;
        var scratch = dataDirectory + ".initdb";
        if (Directory.Exists(scratch))
        {
            Directory.Delete(scratch, recursive: true);
        }

        PostgresLog.Initialising(logger, dataDirectory);
        var initdb = commands.For("initdb", "--auth=trust", "-E", "UTF8", "--no-locale", "-U", "postgres", "-D", scratch);
        var output = await RunCheckedAsync(initdb, s_initDbTimeout, cancellationToken);
        PostgresLog.InitDbOutput(logger, output);
        Directory.Move(scratch, dataDirectory);
    }

    // A postmaster.pid left by a killed run blocks the start once its PID is reused by another process
    // (PostgreSQL itself only ignores PIDs that are dead). Only a postmaster serving this directory keeps it.
    private void RemoveStalePidFile(ILogger logger)
    {
        var pidFile = Path.Combine(layout.DataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile))
        {
            return;
        }

        var firstLine = File.ReadLines(pidFile).FirstOrDefault();
        if (int.TryParse(firstLine, out var pid) && ServesDataDirectory(pid))
        {
            return;
        }

        PostgresLog.RemovingStalePidFile(logger, pidFile, firstLine);
        File.Delete(pidFile);
    }

    private bool ServesDataDirectory(int pid)
    {
        // A postmaster's command line holds "-D <data directory>"; its children rename themselves ("postgres: walwriter").
        var commandLine = $"/proc/{pid}/cmdline";
        return File.Exists(commandLine) && File.ReadAllText(commandLine).Split('\0').Contains(layout.DataDirectory);
    }

    private async Task<string> RunCheckedAsync(CommandLine command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var result = await ProcessRunner.RunAsync(command.FileName, command.Arguments, timeout, layout.Root, cancellationToken);
        if (result.Succeeded)
        {
            return result.Output;
        }

        var failure = result.TimedOut ? $"timed out after {timeout}" : $"failed with exit code {result.ExitCode}";
        throw new InvalidOperationException($"'{command.FileName} {string.Join(' ', command.Arguments)}' {failure}:\n{result.Output}");
    }
}
