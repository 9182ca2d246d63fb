using Grpc.Core;
using MlPlatform.Api.Datasets.V1;
using MlPlatform.TestSupport;
using Npgsql;

namespace MlPlatform.Datasets.Tests.Api;

/// <summary>
/// While the service's database is out, calls answer <c>Unavailable</c> — the status a caller (or a
/// gRPC retry policy) retries later — and once it is back the same service answers again.
/// </summary>
public sealed class DatabaseOutageTests(DatasetsFactory service) : IClassFixture<DatasetsFactory>
{
    private readonly DatasetsClient _client = service.Client;

    [Fact]
    public async Task Calls_during_a_database_outage_are_unavailable_and_the_service_recovers_when_it_is_back()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var dataset = await _client.NewDatasetAsync();
        var createdDuringOutage = $"{dataset}-later";

        await SetOutageAsync(true, cancellationToken);
        try
        {
            RpcException[] errors =
            [
                await Assert.ThrowsAsync<RpcException>(async () =>
                    await _client.GetDatasetAsync(new GetDatasetRequest { Name = dataset }, cancellationToken: cancellationToken)),
                await Assert.ThrowsAsync<RpcException>(async () =>
                    await _client.CreateDatasetAsync(new CreateDatasetRequest { Name = createdDuringOutage }, cancellationToken: cancellationToken)),
                await Assert.ThrowsAsync<RpcException>(() => _client.UploadAsync(dataset, "a\n1\n")),
            ];

            Assert.All(errors, error =>
            {
                Assert.Equal(StatusCode.Unavailable, error.StatusCode);
                Assert.Contains("database is unavailable or busy at the moment", error.Status.Detail);
                Assert.EndsWith("retry the call shortly.", error.Status.Detail);
            });
        }
        finally
        {
            await SetOutageAsync(false, cancellationToken);
        }

        Assert.Equal(dataset, (await _client.GetDatasetAsync(new GetDatasetRequest { Name = dataset }, cancellationToken: cancellationToken)).Name);
        await _client.CreateDatasetAsync(new CreateDatasetRequest { Name = createdDuringOutage }, cancellationToken: cancellationToken);
        Assert.Equal(1, (await _client.UploadAsync(dataset, "a\n1\n")).Version.Version);
        Assert.Empty((await _client.ListDatasetVersionsAsync(new ListDatasetVersionsRequest { Dataset = createdDuringOutage }, cancellationToken: cancellationToken)).Versions);
    }

    /// <summary>
    /// The service's own database on the shared server stops accepting connections and its open
    /// ones are ended — what a database restart looks like to the service — or accepts them again.
    /// </summary>
    private async Task SetOutageAsync(bool outage, CancellationToken cancellationToken)
    {
        var server = (await SharedInfrastructure.GetAsync()).Postgres;
        await using var database = NpgsqlDataSource.Create(server.ConnectionString);
        await using var batch = database.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"ALTER DATABASE \"{service.Name}\" WITH ALLOW_CONNECTIONS {(outage ? "false" : "true")}"));
        if (outage)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1")
            {
                Parameters = { new NpgsqlParameter { Value = service.Name } },
            });
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
    }
}
