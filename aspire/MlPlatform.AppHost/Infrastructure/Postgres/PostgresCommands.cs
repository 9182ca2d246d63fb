namespace MlPlatform.AppHost.Infrastructure;

/// <summary>A program and its arguments.</summary>
internal sealed record CommandLine(string FileName, string[] Arguments);

/// <summary>
/// Builds PostgreSQL command lines. PostgreSQL refuses to run as root, so as root each binary runs as the
/// <c>postgres</c> OS user through <c>setpriv</c>, which execs it (no extra process in between).
/// </summary>
internal sealed record PostgresCommands(string BinDirectory, string? SetprivPath)
{
    public const string OsUser = "postgres";

    // The orchestrator stops processes with SIGTERM, PostgreSQL's "smart" shutdown: it waits for every client to
    // disconnect, so one pooled connection (a test, a slow service) stalls it until it is killed after ~5 s and the
    // next start runs crash recovery. Like the official image's STOPSIGNAL SIGINT, turn SIGTERM into a fast shutdown.
    private const string FastShutdownScript = """
        trap 'kill -INT "$pid" 2>/dev/null' TERM INT
        "$@" &
        pid=$!
        while kill -0 "$pid" 2>/dev/null; do wait "$pid"; status=$?; done
        exit $status
        """;

    public bool SwitchesUser => SetprivPath is not null;

    public CommandLine For(string program, params string[] arguments) =>
        AsOsUser(Path.Combine(BinDirectory, program), arguments);

    /// <summary>The server itself, stopped by SIGTERM with a fast shutdown.</summary>
    public CommandLine Server(params string[] arguments) =>
        AsOsUser("/bin/sh", ["-c", FastShutdownScript, "postgres", Path.Combine(BinDirectory, "postgres"), .. arguments]);

    private CommandLine AsOsUser(string executable, string[] arguments) =>
        SetprivPath is null
            ? new CommandLine(executable, arguments)
            : new CommandLine(SetprivPath, [$"--reuid={OsUser}", $"--regid={OsUser}", "--init-groups", "--", executable, .. arguments]);
}
