namespace MlPlatform.AppHost.Infrastructure;

/// <summary>How PostgreSQL and RabbitMQ run for this AppHost.</summary>
public enum InfrastructureMode
{
    /// <summary>Aspire's PostgreSQL and RabbitMQ containers (a healthy Docker or Podman was found).</summary>
    Containers,

    /// <summary>The locally installed servers, run as processes with their data under the state directory.</summary>
    LocalProcesses,

    /// <summary>Existing servers named by <c>ConnectionStrings:postgres</c> and <c>ConnectionStrings:messaging</c>.</summary>
    ConnectionStrings,
}
