using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace MlPlatform.AppHost.Infrastructure;

/// <summary>
/// Healthy once the server accepts connections and the platform database exists (created on the first success),
/// so <c>WaitFor(postgres)</c> means services can connect straight away.
/// </summary>
internal sealed class PostgresDatabaseHealthCheck(int port, string databaseName) : IHealthCheck
{
    private const string DuplicateDatabase = "42P04";

    // No pooling: a probe every 30 s needs no idle session kept open on the server.
    private readonly string _maintenanceConnectionString =
        $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false;Timeout=2";

    private volatile bool _databaseExists;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        StartupPolling.UntilHealthyAsync(ProbeAsync, cancellationToken);

    private async Task<HealthCheckResult> ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(_maintenanceConnectionString);
            await connection.OpenAsync(cancellationToken);
            if (!_databaseExists)
            {
                await EnsureDatabaseAsync(connection, cancellationToken);
                _databaseExists = true;
            }

            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
        {
            // The message is the whole story ("Connection refused", "the database system is starting up");
            // attaching the exception would log a stack trace per attempt while the server starts.
            return HealthCheckResult.Unhealthy(exception.Message);
        }
    }

    private async Task EnsureDatabaseAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection)
        {
            Parameters = { new NpgsqlParameter { Value = databaseName } },
        };
        if (await exists.ExecuteScalarAsync(cancellationToken) is not null)
        {
            return;
        }

        try
        {
            // Identifiers cannot be parameters; the name is our own constant, quoted for safety.
            var quotedName = $"\"{databaseName.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
            await using var create = new NpgsqlCommand($"CREATE DATABASE {quotedName}", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException exception) when (exception.SqlState == DuplicateDatabase)
        {
            // Created concurrently: that is the state we wanted.
        }
    }
}
