namespace MlPlatform.AppHost.Infrastructure;

/// <summary>
/// The broker's ports. A dedicated epmd port keeps this broker's Erlang node apart from any other on the machine
/// (a system broker, test brokers, another AppHost), even though all use the node name <c>mlplatform@localhost</c>.
/// </summary>
internal sealed record RabbitMqPorts(int Amqp, int Distribution, int Epmd);
