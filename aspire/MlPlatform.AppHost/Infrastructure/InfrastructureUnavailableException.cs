namespace MlPlatform.AppHost.Infrastructure;

/// <summary>No way to run PostgreSQL and RabbitMQ: the message says what is missing and how to fix it.</summary>
internal sealed class InfrastructureUnavailableException(string message) : Exception(message);
