using System.Text.Json;
using MlPlatform.Api.Datasets.V1;

namespace MlPlatform.Datasets.Tests.Api;

public sealed class DatasetHistoryTests(DatasetsFactory service) : IClassFixture<DatasetsFactory>
{
    private readonly DatasetsClient _client = service.Client;

    [Fact]
    public async Task History_lists_every_change_in_order_with_time_and_actor()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var dataset = await _client.NewDatasetAsync();
        await _client.UploadAsync(dataset, "n\n1\n");
        await _client.DeprecateDatasetVersionAsync(
            new DeprecateDatasetVersionRequest { Dataset = dataset, Version = 1, Reason = "bad" }, cancellationToken: TestContext.Current.CancellationToken);

        var history = await GetHistoryAsync(dataset);

        Assert.Equal(["dataset_created", "dataset_version_added", "dataset_version_deprecated"], history.Events.Select(e => e.Type));
        Assert.Equal([1L, 2, 3], history.Events.Select(e => e.Version));
        Assert.All(history.Events, e =>
        {
            Assert.InRange(e.Time.ToDateTimeOffset(), before, DateTimeOffset.UtcNow.AddSeconds(1));
            Assert.Equal("anonymous", e.Actor.Name);
        });
        using var added = JsonDocument.Parse(history.Events[1].DataJson);
        Assert.Equal(DatasetsClientExtensions.Sha256("n\n1\n"), added.RootElement.GetProperty("sha256").GetString());
        Assert.Equal("Int64", added.RootElement.GetProperty("columns")[0].GetProperty("type").GetString());
        Assert.Equal("", history.NextPageToken);
    }

    [Fact]
    public async Task History_is_read_a_page_at_a_time()
    {
        var dataset = await _client.NewDatasetAsync();
        for (var i = 1; i <= 4; i++)
        {
            await _client.UploadAsync(dataset, $"n\n{i}\n");
        }

        var first = await GetHistoryAsync(dataset, pageSize: 3);
        var second = await GetHistoryAsync(dataset, pageSize: 3, first.NextPageToken);

        Assert.Equal([1L, 2, 3, 4, 5], first.Events.Concat(second.Events).Select(e => e.Version));
        Assert.Equal("", second.NextPageToken);
    }

    private Task<GetDatasetHistoryResponse> GetHistoryAsync(string dataset, int pageSize = 0, string pageToken = "") =>
        _client.GetDatasetHistoryAsync(
            new GetDatasetHistoryRequest { Name = dataset, PageSize = pageSize, PageToken = pageToken },
            cancellationToken: TestContext.Current.CancellationToken).ResponseAsync;
}
