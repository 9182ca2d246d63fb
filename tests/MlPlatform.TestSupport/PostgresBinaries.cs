using System.Globalization;

namespace MlPlatform.TestSupport;

/// <summary>Finds the PostgreSQL server binaries: Debian's newest /usr/lib/postgresql/*/bin, else PATH.</summary>
internal static class PostgresBinaries
{
    public static string FindDirectory()
    {
        const string debianRoot = "/usr/lib/postgresql";
        var debian = Directory.Exists(debianRoot)
            ? Directory.GetDirectories(debianRoot)
                .Select(version => (Version: ParseVersion(Path.GetFileName(version)), Bin: Path.Combine(version, "bin")))
                .Where(candidate => File.Exists(Path.Combine(candidate.Bin, "initdb")))
                .OrderByDescending(candidate => candidate.Version)
                .Select(candidate => candidate.Bin)
                .FirstOrDefault()
            : null;
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(directory => File.Exists(Path.Combine(directory, "initdb")));
        return debian ?? onPath ?? throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, postgres) not found in /usr/lib/postgresql/*/bin or on PATH; " +
            "install them with: apt-get install -y postgresql");
    }

    private static double ParseVersion(string name) =>
        double.TryParse(name, NumberStyles.Float, CultureInfo.InvariantCulture, out var version) ? version : -1;
}
