namespace MlPlatform.AppHost.Infrastructure;

/// <summary>Names services depend on: resource names are also their <c>ConnectionStrings:*</c> keys.</summary>
internal static class InfrastructureNames
{
    public const string Postgres = "postgres";
    public const string Messaging = "messaging";
    public const string Database = "mlplatform";
}
