using Npgsql;

namespace MlPlatform.TestSupport.Tests;

public class SharedInfrastructureTests
{
    [Fact]
    public async Task Isolated_environments_get_their_own_database_and_virtual_host()
    {
        var infrastructure = await SharedInfrastructure.GetAsync();
        var cancellationToken = TestContext.Current.CancellationToken;

        var first = await infrastructure.CreateIsolatedEnvironmentAsync("Orders.Tests", cancellationToken);
        var second = await infrastructure.CreateIsolatedEnvironmentAsync("Orders.Tests", cancellationToken);

        Assert.NotEqual(first.Name, second.Name);
        Assert.StartsWith("orders_tests_", first.Name, StringComparison.Ordinal);
        Assert.EndsWith($"/{first.Name}", first.RabbitMqConnectionString, StringComparison.Ordinal);
        Assert.Superset(
            new HashSet<string> { first.Name, second.Name },
            (await infrastructure.RabbitMq.ListVirtualHostsAsync(cancellationToken)).ToHashSet());
        await using var connection = new NpgsqlConnection(first.PostgresConnectionString);
        await connection.OpenAsync(cancellationToken);
        Assert.Equal(first.Name, connection.Database);
    }
}
