using MlPlatform.Api.Datasets.V1;

namespace MlPlatform.Datasets.Tests.Api;

public sealed class ConcurrentUploadsTests(DatasetsFactory service) : IClassFixture<DatasetsFactory>
{
    private const int Uploads = 8;

    private readonly DatasetsClient _client = service.Client;

    [Fact]
    public async Task Concurrent_uploads_of_different_content_get_distinct_consecutive_versions()
    {
        var dataset = await _client.NewDatasetAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, Uploads).Select(i => Task.Run(() => _client.UploadAsync(dataset, $"n\n{i}\n"))));

        Assert.All(responses, response => Assert.True(response.Created));
        Assert.Equal(Enumerable.Range(1, Uploads), responses.Select(r => r.Version.Version).Order());
        Assert.Equal(Uploads, responses.Select(r => r.Version.Sha256).Distinct().Count());
        var listed = await _client.ListDatasetVersionsAsync(new ListDatasetVersionsRequest { Dataset = dataset }, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(Enumerable.Range(1, Uploads).Reverse(), listed.Versions.Select(v => v.Version));
    }

    [Fact]
    public async Task Concurrent_uploads_of_the_same_content_yield_one_version()
    {
        var dataset = await _client.NewDatasetAsync();
        var blobsBefore = service.BlobFiles.Count;

        var responses = await Task.WhenAll(Enumerable.Range(0, Uploads).Select(_ => Task.Run(() => _client.UploadAsync(dataset, "n\n42\n"))));

        Assert.Single(responses, r => r.Created);
        Assert.All(responses, response => Assert.Equal(1, response.Version.Version));
        var stored = await _client.GetDatasetAsync(new GetDatasetRequest { Name = dataset }, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(1, stored.LatestVersion);
        // The class shares one blob store, so count what this test added.
        Assert.Equal(blobsBefore + 1, service.BlobFiles.Count);
    }
}
