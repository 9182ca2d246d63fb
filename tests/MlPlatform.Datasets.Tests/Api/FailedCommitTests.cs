using Grpc.Core;
using MlPlatform.Api.Datasets.V1;
using MlPlatform.Contracts;
using MlPlatform.TestSupport.Services;

namespace MlPlatform.Datasets.Tests.Api;

/// <summary>
/// The last step of an upload — recording the version — can fail after every byte arrived. Then
/// nothing of the version may exist: no version, no event in the history, nothing published; the
/// same file sent again becomes version 1, published once.
/// </summary>
public sealed class FailedCommitTests(DatasetsFactory service) : IClassFixture<DatasetsFactory>
{
    private readonly DatasetsClient _client = service.Client;

    [Fact]
    public async Task An_upload_whose_commit_fails_leaves_no_version_and_the_file_sent_again_becomes_version_1()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var probe = await EventProbe<DatasetVersionCreated>.StartAsync(service.MessagingConnectionString, cancellationToken);
        var dataset = await _client.NewDatasetAsync();
        // The database refuses this dataset's next event, as a full disk or a lost primary would at commit.
        RpcException error;
        await using (await RefusedEvents.StartAsync(service.PostgresConnectionString, dataset, "raise_exception"))
        {
            error = await Assert.ThrowsAsync<RpcException>(() => _client.UploadAsync(dataset, "n\n1\n2\n"));
        }

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        var versions = await _client.ListDatasetVersionsAsync(new ListDatasetVersionsRequest { Dataset = dataset }, cancellationToken: cancellationToken);
        Assert.Empty(versions.Versions);
        var history = await _client.GetDatasetHistoryAsync(new GetDatasetHistoryRequest { Name = dataset }, cancellationToken: cancellationToken);
        Assert.Single(history.Events);

        var retried = await _client.UploadAsync(dataset, "n\n1\n2\n");

        Assert.Equal((true, 1), (retried.Created, retried.Version.Version));
        Assert.Single(service.BlobFiles); // the failed commit's blob holds the same bytes, and is the one the version now names
        var published = await probe.WaitForOnlyAsync(e => e.Dataset == dataset, TimeSpan.FromSeconds(30));
        Assert.Equal(1, published.Message.Version);
    }
}
