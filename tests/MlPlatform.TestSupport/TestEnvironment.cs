namespace MlPlatform.TestSupport;

/// <summary>A database and a virtual host of their own for one test class, both called <paramref name="Name"/>.</summary>
public sealed record TestEnvironment(string Name, string PostgresConnectionString, string RabbitMqConnectionString);
