namespace MlPlatform.AppHost.Infrastructure;

/// <summary>A locally installed RabbitMQ broker run as a process; its connection string is an <c>amqp://</c> URI.</summary>
public sealed class RabbitMqServerResource(string name, string command, string workingDirectory)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    internal const string EndpointName = "tcp";

    private EndpointReference? _primaryEndpoint;

    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new EndpointReference(this, EndpointName);

    // guest/guest is RabbitMQ's default user, allowed on loopback only — where this broker listens.
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"amqp://guest:guest@127.0.0.1:{PrimaryEndpoint.Property(EndpointProperty.Port)}/");
}
