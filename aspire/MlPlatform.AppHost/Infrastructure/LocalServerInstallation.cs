namespace MlPlatform.AppHost.Infrastructure;

/// <summary>The locally installed PostgreSQL and RabbitMQ the LocalProcesses mode runs.</summary>
internal sealed record LocalServerInstallation(PostgresCommands Postgres, string RabbitMqBinDirectory, string EpmdPath)
{
    public const string InstallCommand = "apt-get install -y postgresql rabbitmq-server";

    private const string DebianPostgresRoot = "/usr/lib/postgresql";

    public string Describe()
    {
        // Debian keeps each major version in /usr/lib/postgresql/<major>/bin.
        var major = Path.GetFileName(Path.GetDirectoryName(Postgres.BinDirectory));
        var postgres = int.TryParse(major, out _) ? $"PostgreSQL {major}" : "PostgreSQL";
        return $"{postgres} at {Postgres.BinDirectory}, RabbitMQ at {RabbitMqBinDirectory}";
    }

    /// <summary>Returns null and lists what is missing when the servers cannot run locally.</summary>
    public static LocalServerInstallation? Find(InfrastructureOptions options, out IReadOnlyList<string> missing)
    {
        var problems = new List<string>();
        var postgresBin = options.PostgresBinDirectory ?? NewestDebianPostgresBin();
        if (postgresBin is null || !HasPrograms(postgresBin, "postgres", "initdb"))
        {
            problems.Add($"PostgreSQL server (postgres and initdb in {postgresBin ?? DebianPostgresRoot + "/<version>/bin"})");
        }

        if (!ExecutablePath.IsExecutable(Path.Combine(options.RabbitMqBinDirectory, "rabbitmq-server")))
        {
            problems.Add($"RabbitMQ server ({options.RabbitMqBinDirectory}/rabbitmq-server)");
        }

        var epmd = ExecutablePath.Find("epmd");
        if (epmd is null)
        {
            problems.Add("Erlang's epmd on PATH (installed with rabbitmq-server)");
        }

        var setpriv = Environment.IsPrivilegedProcess ? ExecutablePath.Find("setpriv") : null;
        if (Environment.IsPrivilegedProcess && setpriv is null)
        {
            problems.Add("setpriv on PATH (util-linux), to run PostgreSQL as a non-root user");
        }

        if (Environment.IsPrivilegedProcess && !OsUserExists(PostgresCommands.OsUser))
        {
            problems.Add($"the '{PostgresCommands.OsUser}' OS user (created by the postgresql package)");
        }

        missing = problems;
        return problems.Count == 0
            ? new LocalServerInstallation(new PostgresCommands(postgresBin!, setpriv), options.RabbitMqBinDirectory, epmd!)
            : null;
    }

    private static string? NewestDebianPostgresBin() =>
        Directory.Exists(DebianPostgresRoot)
            ? Directory.GetDirectories(DebianPostgresRoot)
                .Select(directory => (Major: MajorVersion(directory), Bin: Path.Combine(directory, "bin")))
                .Where(candidate => candidate.Major >= 0 && HasPrograms(candidate.Bin, "postgres"))
                .OrderByDescending(candidate => candidate.Major)
                .Select(candidate => candidate.Bin)
                .FirstOrDefault()
            : null;

    private static int MajorVersion(string directory) => int.TryParse(Path.GetFileName(directory), out var major) ? major : -1;

    private static bool HasPrograms(string directory, params string[] programs) =>
        programs.All(program => ExecutablePath.IsExecutable(Path.Combine(directory, program)));

    private static bool OsUserExists(string user) =>
        File.Exists("/etc/passwd") && File.ReadLines("/etc/passwd").Any(line => line.StartsWith(user + ":", StringComparison.Ordinal));
}
