using System.Globalization;

namespace MlPlatform.TestSupport;

/// <summary>Finds the PostgreSQL server binaries: Debian's newest /usr/lib/postgresql/*/bin, else PATH.</summary>
internal static class PostgresBinaries
{
    private const string DebianRoot = "/usr/lib/postgresql";

    public static string FindDirectory() =>
        NewestDebianVersion() ?? OnPath() ?? throw new InvalidOperationException(
            $"PostgreSQL server binaries (initdb, postgres) not found in {DebianRoot}/*/bin or on PATH; " +
            "install them with: apt-get install -y postgresql");

    private static string? NewestDebianVersion() =>
        Directory.Exists(DebianRoot)
            ? Directory.GetDirectories(DebianRoot)
                .Where(version => HasInitdb(Path.Combine(version, "bin")))
                .OrderByDescending(version => ParseVersion(Path.GetFileName(version)))
                .Select(version => Path.Combine(version, "bin"))
                .FirstOrDefault()
            : null;

    private static string? OnPath() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(HasInitdb);

    private static bool HasInitdb(string directory) => File.Exists(Path.Combine(directory, "initdb"));

    // Debian names the folders after the major version: "15", or "9.6" for old ones.
    private static double ParseVersion(string name) =>
        double.TryParse(name, NumberStyles.Float, CultureInfo.InvariantCulture, out var version) ? version : -1;
}
