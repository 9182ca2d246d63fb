using Microsoft.Extensions.Configuration;

namespace MlPlatform.AppHost.Infrastructure;

/// <summary>The <c>MlPlatform:*</c> settings that shape the infrastructure.</summary>
internal sealed record InfrastructureOptions
{
    /// <summary><c>containers</c>, <c>local</c>, <c>connection-strings</c> or <c>auto</c>.</summary>
    public required string RequestedMode { get; init; }

    /// <summary>Where local servers keep their data; tests point it at a temporary folder.</summary>
    public required string StateDirectory { get; init; }

    public int? PostgresPort { get; init; }

    public int? RabbitMqPort { get; init; }

    public int? RabbitMqDistPort { get; init; }

    public int? EpmdPort { get; init; }

    /// <summary>Null means the newest <c>/usr/lib/postgresql/*/bin</c>.</summary>
    public string? PostgresBinDirectory { get; init; }

    public required string RabbitMqBinDirectory { get; init; }

    public static InfrastructureOptions Read(IConfiguration configuration) => new()
    {
        RequestedMode = configuration["MlPlatform:Infrastructure"] ?? "auto",
        StateDirectory = Path.GetFullPath(configuration["MlPlatform:StateDirectory"] ?? DefaultStateDirectory()),
        PostgresPort = configuration.GetValue<int?>("MlPlatform:Postgres:Port"),
        RabbitMqPort = configuration.GetValue<int?>("MlPlatform:RabbitMq:Port"),
        RabbitMqDistPort = configuration.GetValue<int?>("MlPlatform:RabbitMq:DistPort"),
        EpmdPort = configuration.GetValue<int?>("MlPlatform:RabbitMq:EpmdPort"),
        PostgresBinDirectory = configuration["MlPlatform:Postgres:BinDirectory"],
        RabbitMqBinDirectory = configuration["MlPlatform:RabbitMq:BinDirectory"] ?? "/usr/lib/rabbitmq/bin",
    };

    // Root runs the platform like a system service; anyone else keeps it in their own profile.
    private static string DefaultStateDirectory() => Environment.IsPrivilegedProcess
        ? "/var/lib/mlplatform"
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "mlplatform");
}
