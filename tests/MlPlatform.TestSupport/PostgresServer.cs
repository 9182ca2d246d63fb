using System.Diagnostics;
using Npgsql;

namespace MlPlatform.TestSupport;

/// <summary>
/// A throwaway PostgreSQL server: a fresh cluster in a temporary directory, trust authentication
/// for user <c>postgres</c> on 127.0.0.1, durability switched off for speed unless
/// <see cref="PostgresDurability.Default"/> is asked for (benchmarks measure the product's settings).
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(30);

    private readonly string _directory;
    private readonly ChildProcess _process;
    private readonly IDisposable _cleanup;
    private int _disposed;

    private PostgresServer(string directory, int port, ChildProcess process)
    {
        _directory = directory;
        _process = process;
        Port = port;
        _cleanup = Reaper.Register(this, $"kill -s INT {process.Id}; sleep 2; kill -s KILL {process.Id}; rm -rf -- {Shell.Quote(directory)}");
    }

    public int Port { get; }

    /// <summary>Connection string to the <c>postgres</c> database.</summary>
    public string ConnectionString => ConnectionStringFor("postgres");

    /// <summary>Starts a server with durability off (<see cref="PostgresDurability.Off"/>): what tests want.</summary>
    public static Task<PostgresServer> StartAsync(CancellationToken cancellationToken = default) =>
        StartAsync(PostgresDurability.Off, cancellationToken);

    public static async Task<PostgresServer> StartAsync(PostgresDurability durability, CancellationToken cancellationToken = default)
    {
        var bin = PostgresBinaries.FindDirectory();
        // Under /tmp and created by the server's user: the data directory must belong to it.
        var directory = (await RunAsServerUserAsync("mktemp", ["-d", "/tmp/mlp-pg-XXXXXX"], cancellationToken)).Trim();
        var data = Path.Combine(directory, "data");
        PostgresServer? server = null;
        try
        {
            await RunAsServerUserAsync(
                Path.Combine(bin, "initdb"),
                ["-N", "--auth=trust", "-E", "UTF8", "--no-locale", "-U", "postgres", "-D", data],
                cancellationToken);
            var port = FreePort.Next();
            var (fileName, arguments) = AsServerUser(
                Path.Combine(bin, "postgres"),
                ["-D", data, "-k", directory, "-c", "listen_addresses=127.0.0.1", "-p", $"{port}", "-c", "max_connections=300",
                 .. durability == PostgresDurability.Off
                     ? (string[])["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]
                     : []]);
            var process = ChildProcess.Start(Path.Combine(directory, "postgres.log"), new Dictionary<string, string>(), fileName, arguments);
            server = new PostgresServer(directory, port, process);
            await server.WaitUntilReadyAsync(cancellationToken);
            return server;
        }
        catch
        {
            if (server is null)
            {
                await TemporaryDirectory.DeleteAsync(directory);
            }
            else
            {
                await server.DisposeAsync();
            }

            throw;
        }
    }

    public string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = database,
    }.ConnectionString;

    /// <summary>Creates database <paramref name="name"/> and returns a connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        var quoted = "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        await using var command = new NpgsqlCommand($"CREATE DATABASE {quoted}", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return ConnectionStringFor(name);
    }

    /// <summary>Stops the server (fast shutdown) and deletes its data.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _process.StopAsync(Signals.Interrupt, TimeSpan.FromSeconds(10));
        _process.Dispose();
        await TemporaryDirectory.DeleteAsync(_directory);
        _cleanup.Dispose();
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        var probe = new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false, Timeout = 5 }.ConnectionString;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException(
                    $"postgres exited with code {_process.ExitCode} before accepting connections. Log:\n{_process.LogTail()}");
            }

            try
            {
                await using var connection = new NpgsqlConnection(probe);
                await connection.OpenAsync(cancellationToken);
                return;
            }
            catch (NpgsqlException) when (clock.Elapsed < s_startTimeout)
            {
                await Task.Delay(50, cancellationToken);
            }
            catch (NpgsqlException e)
            {
                throw new TimeoutException(
                    $"postgres did not accept connections on port {Port} within {s_startTimeout.TotalSeconds:0} s. Log:\n{_process.LogTail()}", e);
            }
        }
    }

    // PostgreSQL refuses to run as root. setpriv execs in place, so signals reach postgres itself.
    private static (string FileName, string[] Arguments) AsServerUser(string fileName, string[] arguments) =>
        Environment.IsPrivilegedProcess
            ? ("setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", fileName, .. arguments])
            : (fileName, arguments);

    private static Task<string> RunAsServerUserAsync(string fileName, string[] arguments, CancellationToken cancellationToken)
    {
        var (file, args) = AsServerUser(fileName, arguments);
        return Command.RunAsync(file, args, environment: null, TimeSpan.FromSeconds(60), cancellationToken);
    }
}

/// <summary>How much of a throwaway server's work survives a crash, and what it costs.</summary>
public enum PostgresDurability
{
    /// <summary><c>fsync</c>, <c>synchronous_commit</c> and <c>full_page_writes</c> off: fast, for tests.</summary>
    Off,

    /// <summary>PostgreSQL's own defaults, as the product runs: for benchmarks.</summary>
    Default,
}
