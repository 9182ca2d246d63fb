using Npgsql;

namespace MlPlatform.TestSupport.Tests;

public class PostgresServerTests
{
    [Fact]
    public async Task Server_answers_select_1()
    {
        var infrastructure = await SharedInfrastructure.GetAsync();

        await using var connection = new NpgsqlConnection(infrastructure.Postgres.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("select 1", connection);

        Assert.Equal(1, await command.ExecuteScalarAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Created_databases_are_isolated()
    {
        var postgres = (await SharedInfrastructure.GetAsync()).Postgres;
        var cancellationToken = TestContext.Current.CancellationToken;
        var first = await postgres.CreateDatabaseAsync("isolation_first", cancellationToken);
        var second = await postgres.CreateDatabaseAsync("isolation_second", cancellationToken);

        await ExecuteAsync(first, "create table only_in_first (id int)");

        Assert.Equal("only_in_first", await ExecuteAsync(first, "select to_regclass('only_in_first')::text"));
        Assert.Null(await ExecuteAsync(second, "select to_regclass('only_in_first')::text"));
    }

    [Fact]
    public async Task Durability_is_off_unless_asked_for()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var shared = (await SharedInfrastructure.GetAsync()).Postgres;
        await using var durable = await PostgresServer.StartAsync(PostgresDurability.Default, cancellationToken);

        Assert.Equal("off off off", await SettingsAsync(shared.ConnectionString));
        Assert.Equal("on on on", await SettingsAsync(durable.ConnectionString));
    }

    private static async Task<object?> SettingsAsync(string connectionString) =>
        await ExecuteAsync(connectionString,
            "select current_setting('fsync') || ' ' || current_setting('synchronous_commit') || ' ' || current_setting('full_page_writes')");

    private static async Task<object?> ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        var result = await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
        return result is DBNull ? null : result;
    }
}
