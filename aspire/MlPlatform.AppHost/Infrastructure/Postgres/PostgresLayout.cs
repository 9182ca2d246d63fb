namespace MlPlatform.AppHost.Infrastructure;

/// <summary>Where the local PostgreSQL keeps its files: <c>&lt;state&gt;/postgres/{data,run}</c>.</summary>
internal sealed record PostgresLayout(string Root)
{
    public string DataDirectory => Path.Combine(Root, "data");

    /// <summary>The unix socket folder (<c>-k</c>), outside the data directory so initdb finds that empty.</summary>
    public string SocketDirectory => Path.Combine(Root, "run");

    public static PostgresLayout Under(string stateDirectory) => new(Path.Combine(stateDirectory, "postgres"));
}
