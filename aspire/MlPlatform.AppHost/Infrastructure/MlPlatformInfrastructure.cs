namespace MlPlatform.AppHost.Infrastructure;

/// <summary>The platform's PostgreSQL database and RabbitMQ broker, whichever way they run.</summary>
/// <param name="Mode">How the servers run.</param>
/// <param name="Postgres">Connection name <c>postgres</c>: an Npgsql connection string to database <c>mlplatform</c>.</param>
/// <param name="Messaging">Connection name <c>messaging</c>: an <c>amqp://</c> URI.</param>
/// <param name="StateDirectory">
/// <c>MlPlatform:StateDirectory</c> (default <c>/var/lib/mlplatform</c> as root, else <c>~/.local/share/mlplatform</c>):
/// local servers keep their data in its <c>postgres/</c> and <c>rabbitmq/</c> folders; other platform state may live beside them.
/// </param>
public sealed record MlPlatformInfrastructure(
    InfrastructureMode Mode,
    IResourceBuilder<IResourceWithConnectionString> Postgres,
    IResourceBuilder<IResourceWithConnectionString> Messaging,
    string StateDirectory);
