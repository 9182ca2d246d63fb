using Grpc.Core;
using MlPlatform.Api.Datasets.V1;
using MlPlatform.TestSupport;
using Npgsql;

namespace MlPlatform.Datasets.Tests.Api;

/// <summary>
/// While the service's database is out, calls answer <c>Unavailable</c> — the status a caller (or a
/// gRPC retry policy) retries later — and once it is back the same service answers again. A
/// transaction the database aborts for a conflict answers <c>Aborted</c>: read again and retry; one
/// refused for a full disk answers <c>ResourceExhausted</c>.
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

        // Connections that died in the outage may still wait in the pool, each failing once (Unavailable, before
        // anything was written); new ones work. So each call is retried as a client's retry policy would.
        var found = await RetryUntilAvailableAsync(async () => await _client.GetDatasetAsync(new GetDatasetRequest { Name = dataset }, cancellationToken: cancellationToken));
        var created = await RetryUntilAvailableAsync(async () => await _client.CreateDatasetAsync(new CreateDatasetRequest { Name = createdDuringOutage }, cancellationToken: cancellationToken));
        var uploaded = await RetryUntilAvailableAsync(() => _client.UploadAsync(dataset, "a\n1\n"));

        Assert.Equal((dataset, createdDuringOutage, 1), (found.Name, created.Name, uploaded.Version.Version));
    }

    [Theory]
    [InlineData("serialization_failure", StatusCode.Aborted, "read it again and retry")]
    [InlineData("disk_full", StatusCode.ResourceExhausted, "out of disk space")]
    public async Task An_upload_whose_commit_fails_on_a_database_condition_says_what_to_do_and_stores_no_version(
        string condition, StatusCode expected, string advice)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var dataset = await _client.NewDatasetAsync();
        RpcException error;
        await using (await RefusedEvents.StartAsync(service.PostgresConnectionString, dataset, condition))
        {
            error = await Assert.ThrowsAsync<RpcException>(() => _client.UploadAsync(dataset, "a\n1\n"));
        }

        Assert.Equal(expected, error.StatusCode);
        Assert.Contains(advice, error.Status.Detail);
        Assert.Empty((await _client.ListDatasetVersionsAsync(new ListDatasetVersionsRequest { Dataset = dataset }, cancellationToken: cancellationToken)).Versions);
    }

    /// <summary>
    /// The service's own database on the shared server stops accepting connections and its open
    /// ones are ended — what a database restart looks like to the service — or accepts them again.
    /// </summary>
    private async Task SetOutageAsync(bool outage, CancellationToken cancellationToken)
    {
        var server = (await SharedInfrastructure.GetAsync()).Postgres;
        await using var database = NpgsqlDataSource.Create(server.ConnectionString);
        // Committed before the connections end, so that none reconnects in between.
        await database.CreateCommand($"ALTER DATABASE \"{service.Name}\" WITH ALLOW_CONNECTIONS {(outage ? "false" : "true")}")
            .ExecuteNonQueryAsync(cancellationToken);
        if (outage)
        {
            await using var terminate = database.CreateCommand("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1");
            terminate.Parameters.Add(new NpgsqlParameter { Value = service.Name });
            await terminate.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static async Task<T> RetryUntilAvailableAsync<T>(Func<Task<T>> call)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            try
            {
                return await call();
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && !deadline.IsCancellationRequested)
            {
                await Task.Delay(50, TestContext.Current.CancellationToken);
            }
        }
    }
}
