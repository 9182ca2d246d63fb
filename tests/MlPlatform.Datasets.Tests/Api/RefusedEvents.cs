using Npgsql;

namespace MlPlatform.Datasets.Tests.Api;

/// <summary>
/// Until disposed, the service's database refuses every new event of one dataset with a given
/// SQLSTATE — the last step of an upload failing as a full disk, a lost primary or a lost
/// conflict would make it fail.
/// </summary>
internal sealed class RefusedEvents : IAsyncDisposable
{
    private readonly NpgsqlDataSource _database;

    private RefusedEvents(NpgsqlDataSource database) => _database = database;

    /// <param name="errorCode">A PostgreSQL condition name, e.g. <c>raise_exception</c> or <c>serialization_failure</c>.</param>
    public static async Task<RefusedEvents> StartAsync(string connectionString, string dataset, string errorCode)
    {
        var database = NpgsqlDataSource.Create(connectionString);
        await database.CreateCommand($"""
            CREATE FUNCTION datasets.refuse_event() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test' USING ERRCODE = '{errorCode}'; END $$;
            CREATE TRIGGER refuse_event BEFORE INSERT ON datasets.mt_events FOR EACH ROW WHEN (NEW.stream_id = '{dataset}') EXECUTE FUNCTION datasets.refuse_event();
            """).ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        return new RefusedEvents(database);
    }

    public async ValueTask DisposeAsync()
    {
        await _database.CreateCommand("DROP TRIGGER refuse_event ON datasets.mt_events; DROP FUNCTION datasets.refuse_event();")
            .ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        await _database.DisposeAsync();
    }
}
