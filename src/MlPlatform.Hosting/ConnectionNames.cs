namespace MlPlatform.Hosting;

/// <summary>Connection names the AppHost gives every service (its resource names).</summary>
public static class ConnectionNames
{
    public const string Postgres = "postgres";
    public const string Messaging = "messaging";
}
