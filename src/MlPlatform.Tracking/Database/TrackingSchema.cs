using Npgsql;

namespace MlPlatform.Tracking.Database;

/// <summary>
/// Creates the service's own tables at startup, before the first call is served. Idempotent and
/// serialised by an advisory lock, so replicas starting together do not race.
/// </summary>
internal sealed class TrackingSchema(NpgsqlDataSource dataSource, TrackingTables tables) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(Ddl(tables), connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // Child tables reference runs by run_no (a bigint) rather than the 32-character run id: smaller
    // indexes and cheaper hash joins when search scans 100k runs. Sortable values are indexed as
    // (key, value, run_no), the order a search page reads them in (ties newest first, read
    // backwards). Param and tag values are indexed by a stored prefix column rather than an
    // expression, so equality searches read the index alone. The statements after each CREATE
    // TABLE bring an older schema up to date.
    private static string Ddl(TrackingTables t) => $"""
        SELECT pg_advisory_xact_lock(hashtext({Literal(t.Schema)} || '.tracking-schema'));
        CREATE SCHEMA IF NOT EXISTS {t.Schema};

        CREATE TABLE IF NOT EXISTS {t.Runs} (
            run_no        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            run_id        text NOT NULL UNIQUE,
            experiment_id text NOT NULL,
            run_name      text NOT NULL,
            parent_run_id text,
            status        text NOT NULL,
            start_time    timestamptz NOT NULL,
            end_time      timestamptz,
            deleted       boolean NOT NULL DEFAULT false
        );
        CREATE INDEX IF NOT EXISTS runs_by_experiment ON {t.Runs} (experiment_id, start_time DESC, run_no DESC);

        {KeyValues(t.Schema, t.Params, "run_params")}

        {KeyValues(t.Schema, t.Tags, "run_tags")}

        CREATE TABLE IF NOT EXISTS {t.Datasets} (
            run_no  bigint NOT NULL,
            name    text NOT NULL,
            version integer NOT NULL,
            PRIMARY KEY (run_no, name)
        );
        DROP INDEX IF EXISTS {t.Schema}.run_datasets_by_version;
        CREATE INDEX IF NOT EXISTS run_datasets_by_version_order ON {t.Datasets} (name, version, run_no);

        CREATE TABLE IF NOT EXISTS {t.MetricSeries} (
            series_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            run_no       bigint NOT NULL,
            key          text NOT NULL,
            value        double precision NOT NULL,
            step         bigint NOT NULL,
            timestamp_ms bigint NOT NULL,
            point_count  bigint NOT NULL,
            UNIQUE (run_no, key)
        );
        DROP INDEX IF EXISTS {t.Schema}.metric_series_by_value;
        CREATE INDEX IF NOT EXISTS metric_series_by_value_order ON {t.MetricSeries} (key, value, run_no);

        CREATE TABLE IF NOT EXISTS {t.MetricChunks} (
            series_id     bigint NOT NULL,
            first_step    bigint NOT NULL,
            chunk_id      bigint GENERATED ALWAYS AS IDENTITY,
            last_step     bigint NOT NULL,
            point_count   integer NOT NULL,
            steps         bigint[] NOT NULL,
            timestamps_ms bigint[] NOT NULL,
            metric_values double precision[] NOT NULL,
            PRIMARY KEY (series_id, first_step, chunk_id)
        );
        -- Measured values are noise to a compressor: skip the attempt on every write.
        ALTER TABLE {t.MetricChunks} ALTER COLUMN metric_values SET STORAGE EXTERNAL;
        """;

    /// <summary>A run's params or tags: text values, their number reading, and their indexed prefix.</summary>
    private static string KeyValues(string schema, string table, string name) => $"""
        CREATE TABLE IF NOT EXISTS {table} (
            run_no    bigint NOT NULL,
            key       text NOT NULL,
            value     text NOT NULL,
            num_value double precision,
            PRIMARY KEY (run_no, key)
        );
        ALTER TABLE {table} ADD COLUMN IF NOT EXISTS value_prefix text GENERATED ALWAYS AS (left(value, {TrackingTables.ValuePrefixLength})) STORED;
        DROP INDEX IF EXISTS {schema}.{name}_by_value, {schema}.{name}_by_number;
        CREATE INDEX IF NOT EXISTS {name}_by_prefix ON {table} (key, value_prefix) INCLUDE (run_no);
        CREATE INDEX IF NOT EXISTS {name}_by_number_order ON {table} (key, num_value, run_no);
        """;

    private static string Literal(string value) => $"'{value.Replace("'", "''", StringComparison.Ordinal)}'";
}
