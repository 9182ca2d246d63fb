using Grpc.Core;
using MlPlatform.Api.Datasets.V1;

namespace MlPlatform.Datasets.Tests.Api;

public sealed class DeprecatingVersionsTests(DatasetsFactory service) : IClassFixture<DatasetsFactory>
{
    private readonly DatasetsClient _client = service.Client;

    [Fact]
    public async Task A_deprecated_version_is_flagged_with_its_reason_and_stays_downloadable()
    {
        var dataset = await _client.NewDatasetAsync();
        await _client.UploadAsync(dataset, "n\n1\n");

        var deprecated = await DeprecateAsync(dataset, 1, "labels were shifted by one row");

        Assert.True(deprecated.Deprecated);
        Assert.Equal("labels were shifted by one row", deprecated.DeprecationReason);
        Assert.NotNull(deprecated.DeprecatedAt);
        Assert.Equal(deprecated, await GetAsync(dataset, "1"));
        var (header, content) = await _client.DownloadAsync(dataset, "1");
        Assert.True(header.Deprecated);
        Assert.Equal("n\n1\n"u8.ToArray(), content);
    }

    [Fact]
    public async Task Latest_skips_deprecated_versions()
    {
        var dataset = await _client.NewDatasetAsync();
        for (var i = 1; i <= 3; i++)
        {
            await _client.UploadAsync(dataset, $"n\n{i}\n");
        }

        await DeprecateAsync(dataset, 3, "bad");

        Assert.Equal(2, (await GetAsync(dataset, "latest")).Version);
        Assert.Equal(2, (await _client.DownloadAsync(dataset, "latest")).Header.Version);
    }

    [Fact]
    public async Task When_every_version_is_deprecated_latest_is_not_found()
    {
        var dataset = await _client.NewDatasetAsync();
        await _client.UploadAsync(dataset, "n\n1\n");
        await DeprecateAsync(dataset, 1, "bad");

        var error = await Assert.ThrowsAsync<RpcException>(() => GetAsync(dataset, "latest"));

        Assert.Equal((StatusCode.NotFound, $"Every version of dataset '{dataset}' is deprecated; ask for one by number (1 to 1)."),
            (error.StatusCode, error.Status.Detail));
    }

    [Fact]
    public async Task Deprecating_twice_changes_nothing()
    {
        var dataset = await _client.NewDatasetAsync();
        await _client.UploadAsync(dataset, "n\n1\n");
        var first = await DeprecateAsync(dataset, 1, "first reason");

        var second = await DeprecateAsync(dataset, 1, "second reason");

        Assert.Equal(first, second);
        var history = await _client.GetDatasetHistoryAsync(new GetDatasetHistoryRequest { Name = dataset }, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Single(history.Events, e => e.Type == "dataset_version_deprecated");
    }

    [Theory]
    [InlineData(1, "", StatusCode.InvalidArgument, "A reason is required")]
    [InlineData(0, "bad", StatusCode.InvalidArgument, "versions start at 1")]
    [InlineData(2, "bad", StatusCode.NotFound, "has no version 2")]
    public async Task Deprecating_needs_an_existing_version_and_a_reason(int version, string reason, StatusCode status, string message)
    {
        var dataset = await _client.NewDatasetAsync();
        await _client.UploadAsync(dataset, "n\n1\n");

        var error = await Assert.ThrowsAsync<RpcException>(() => DeprecateAsync(dataset, version, reason));

        Assert.Equal(status, error.StatusCode);
        Assert.Contains(message, error.Status.Detail);
    }

    private Task<DatasetVersion> DeprecateAsync(string dataset, int version, string reason) =>
        _client.DeprecateDatasetVersionAsync(
            new DeprecateDatasetVersionRequest { Dataset = dataset, Version = version, Reason = reason },
            cancellationToken: TestContext.Current.CancellationToken).ResponseAsync;

    private Task<DatasetVersion> GetAsync(string dataset, string version) =>
        _client.GetDatasetVersionAsync(
            new GetDatasetVersionRequest { Dataset = dataset, Version = version },
            cancellationToken: TestContext.Current.CancellationToken).ResponseAsync;
}
