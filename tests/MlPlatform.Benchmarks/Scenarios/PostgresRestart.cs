using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using MlPlatform.Benchmarks.Harness;
using Npgsql;

namespace MlPlatform.Benchmarks.Scenarios;

/// <summary>
/// "Cold" reads on a machine where the OS page cache cannot be dropped (no privilege for
/// <c>/proc/sys/vm/drop_caches</c>, and it would disturb the other work on the machine anyway):
/// restarts the stack's PostgreSQL with <c>pg_ctl restart -m fast</c> (empty shared buffers; the
/// server keeps its data directory, port and options) and then evicts every file of its data
/// directory from the page cache with <c>posix_fadvise(POSIX_FADV_DONTNEED)</c> — after a clean
/// shutdown the pages are clean, so Linux drops them. The next read comes from the disk (a
/// virtual disk: the host may still cache it). <see cref="ResidentBytes"/> checks what is left.
/// The restarted postmaster is no longer TestSupport's child: <see cref="StopAsync"/> stops it
/// before the stack deletes the data directory.
/// </summary>
internal sealed partial class PostgresRestart
{
    private const int PosixFadviseDontNeed = 4;

    private readonly string _dataDirectory;
    private readonly string _pgCtl;
    private int? _restartedProcessId;

    private PostgresRestart(string dataDirectory, string pgCtl)
    {
        _dataDirectory = dataDirectory;
        _pgCtl = pgCtl;
    }

    public static async Task<PostgresRestart> FindAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT current_setting('data_directory'), current_setting('server_version_num')::int / 10000", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var data = reader.GetString(0);
        var major = reader.GetInt32(1);
        var pgCtl = $"/usr/lib/postgresql/{major}/bin/pg_ctl";
        return File.Exists(pgCtl)
            ? new PostgresRestart(data, pgCtl)
            : throw new InvalidOperationException($"{pgCtl} not found: cannot restart PostgreSQL for a cold read.");
    }

    /// <summary>Restarts the server, evicts its files from the page cache, clears this process's pools; returns the bytes evicted.</summary>
    public async Task<long> RestartColdAsync(CancellationToken cancellationToken)
    {
        await RunAsServerUserAsync([_pgCtl, "restart", "-D", _dataDirectory, "-m", "fast", "-w", "-t", "120",
            "-l", Path.Combine(Path.GetDirectoryName(_dataDirectory)!, "postgres-restarted.log")], cancellationToken);
        var pidFile = await File.ReadAllTextAsync(Path.Combine(_dataDirectory, "postmaster.pid"), cancellationToken);
        var pid = int.Parse(pidFile.AsSpan(0, pidFile.IndexOf('\n', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
        if (_restartedProcessId is { } previous)
        {
            Watchdog.Forget(previous);
        }

        _restartedProcessId = pid;
        Watchdog.Watch(pid);
        NpgsqlConnection.ClearAllPools();
        return Evict();
    }

    /// <summary>Bytes of the data directory still in the page cache.</summary>
    public long ResidentBytes()
    {
        long resident = 0;
        foreach (var file in Directory.EnumerateFiles(_dataDirectory, "*", SearchOption.AllDirectories))
        {
            try
            {
                using var handle = File.OpenHandle(file, FileMode.Open, FileAccess.Read);
                var length = RandomAccess.GetLength(handle);
                if (length == 0)
                {
                    continue;
                }

                resident += MappedResidentBytes(handle.DangerousGetHandle(), length);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }

        return resident;
    }

    /// <summary>Stops the restarted server (if any): the stack then finds it stopped and deletes its data.</summary>
    public async Task StopAsync()
    {
        if (_restartedProcessId is not { } pid)
        {
            return;
        }

        await RunAsServerUserAsync([_pgCtl, "stop", "-D", _dataDirectory, "-m", "fast", "-w", "-t", "60"], CancellationToken.None);
        Watchdog.Forget(pid);
        _restartedProcessId = null;
    }

    private long Evict()
    {
        long bytes = 0;
        foreach (var file in Directory.EnumerateFiles(_dataDirectory, "*", SearchOption.AllDirectories))
        {
            try
            {
                using var handle = File.OpenHandle(file, FileMode.Open, FileAccess.Read);
                _ = PosixFadvise((int)handle.DangerousGetHandle(), 0, 0, PosixFadviseDontNeed);
                bytes += RandomAccess.GetLength(handle);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A file that came and went (temporary files): nothing to evict.
            }
        }

        return bytes;
    }

    private static long MappedResidentBytes(nint fd, long length)
    {
        var pageSize = Environment.SystemPageSize;
        var mapped = Mmap(0, (nuint)length, 1 /* PROT_READ */, 1 /* MAP_SHARED */, (int)fd, 0);
        if (mapped == -1)
        {
            return 0;
        }

        try
        {
            var pages = (int)((length + pageSize - 1) / pageSize);
            var vector = new byte[pages];
            if (Mincore(mapped, (nuint)length, vector) != 0)
            {
                return 0;
            }

            return vector.Count(v => (v & 1) != 0) * (long)pageSize;
        }
        finally
        {
            _ = Munmap(mapped, (nuint)length);
        }
    }

    private static async Task RunAsServerUserAsync(string[] command, CancellationToken cancellationToken)
    {
        string[] arguments = Environment.IsPrivilegedProcess
            ? ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", .. command]
            : command[1..];
        var startInfo = new ProcessStartInfo(Environment.IsPrivilegedProcess ? "setpriv" : command[0])
        {
            UseShellExecute = false,
            // Somewhere the server's user may enter: the server inherits it.
            WorkingDirectory = Path.GetTempPath(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not run {command[0]}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{string.Join(' ', command)} failed ({process.ExitCode}): {await output} {await error}");
        }
    }

    [LibraryImport("libc", EntryPoint = "posix_fadvise")]
    private static partial int PosixFadvise(int fd, long offset, long length, int advice);

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial nint Mmap(nint address, nuint length, int protection, int flags, int fd, long offset);

    [LibraryImport("libc", EntryPoint = "munmap")]
    private static partial int Munmap(nint address, nuint length);

    [LibraryImport("libc", EntryPoint = "mincore")]
    private static partial int Mincore(nint address, nuint length, [Out] byte[] vector);
}
