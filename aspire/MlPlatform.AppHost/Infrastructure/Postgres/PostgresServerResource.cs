namespace MlPlatform.AppHost.Infrastructure;

/// <summary>A locally installed PostgreSQL server run as a process; its connection string names the platform database.</summary>
public sealed class PostgresServerResource(string name, string command, string workingDirectory, string databaseName)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    internal const string EndpointName = "tcp";

    private EndpointReference? _primaryEndpoint;

    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new EndpointReference(this, EndpointName);

    public string DatabaseName { get; } = databaseName;

    // Local trust authentication: the server listens on loopback only and is reachable by local users alone.
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host=127.0.0.1;Port={PrimaryEndpoint.Property(EndpointProperty.Port)};Username=postgres;Database={DatabaseName}");
}
