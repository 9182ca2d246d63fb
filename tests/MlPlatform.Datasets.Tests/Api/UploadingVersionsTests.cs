using Grpc.Core;
using MlPlatform.Api.Datasets.V1;
using static MlPlatform.Datasets.Tests.Api.DatasetsClientExtensions;

namespace MlPlatform.Datasets.Tests.Api;

public sealed class UploadingVersionsTests(DatasetsFactory service) : IClassFixture<DatasetsFactory>
{
    private const string Iris = """
        sepal_length,species,verified,measured_at
        5.1,setosa,true,2024-03-01T10:00:00Z
        4.9,setosa,false,2024-03-01T10:05:00Z
        6.3,virginica,true,
        5.8,"virginica, tall",true,2024-03-02T09:00:00+01:00

        """;

    private readonly DatasetsClient _client = service.Client;

    [Fact]
    public async Task Uploading_a_csv_returns_version_1_with_its_hash_size_rows_schema_and_profile()
    {
        var dataset = await _client.NewDatasetAsync();

        var response = await _client.UploadAsync(dataset, Iris);

        Assert.True(response.Created);
        var version = response.Version;
        Assert.Equal((dataset, 1, Sha256(Iris), (long)System.Text.Encoding.UTF8.GetByteCount(Iris), 4L),
            (version.Dataset, version.Version, version.Sha256, version.SizeBytes, version.RowCount));
        Assert.Equal(
            [("sepal_length", ColumnType.Double, false), ("species", ColumnType.String, false),
             ("verified", ColumnType.Bool, false), ("measured_at", ColumnType.Timestamp, true)],
            version.Columns.Select(c => (c.Name, c.Type, c.Nullable)));

        var length = version.Columns[0].Profile;
        Assert.Equal((4L, 0L, "4.9", "6.3", 5.525), (length.Count, length.NullCount, length.Min, length.Max, Math.Round(length.Mean, 3)));
        Assert.True(length.HasStddev);
        var species = version.Columns[1].Profile;
        Assert.Equal([("setosa", 2L), ("virginica", 1L), ("virginica, tall", 1L)], species.TopValues.Select(t => (t.Value, t.Count)));
        Assert.Equal(3, species.DistinctEstimate);
        var measured = version.Columns[3].Profile;
        Assert.Equal((1L, "2024-03-01T10:00:00Z", "2024-03-02T08:00:00Z"), (measured.NullCount, measured.Min, measured.Max));
    }

    [Fact]
    public async Task Versions_are_numbered_1_2_3_per_dataset()
    {
        var first = await _client.NewDatasetAsync();
        var second = await _client.NewDatasetAsync();

        var versions = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            versions.Add((await _client.UploadAsync(first, $"n\n{i}\n")).Version.Version);
        }

        Assert.Equal([1, 2, 3], versions);
        Assert.Equal(1, (await _client.UploadAsync(second, "n\n0\n")).Version.Version);
        Assert.Equal(3, (await _client.GetDatasetAsync(new GetDatasetRequest { Name = first }, cancellationToken: TestContext.Current.CancellationToken)).LatestVersion);
    }

    [Fact]
    public async Task Uploading_identical_content_returns_the_existing_version()
    {
        var dataset = await _client.NewDatasetAsync();
        var original = await _client.UploadAsync(dataset, Iris);
        await _client.UploadAsync(dataset, "other\n1\n");

        var again = await _client.UploadAsync(dataset, Iris, chunkSize: 7);

        Assert.False(again.Created);
        Assert.Equal(original.Version, again.Version);
        Assert.Equal(2, (await ListVersionsAsync(dataset)).Versions.Count);
    }

    [Fact]
    public async Task Identical_content_in_another_dataset_is_a_version_of_its_own()
    {
        var first = await _client.NewDatasetAsync();
        var second = await _client.NewDatasetAsync();
        await _client.UploadAsync(first, "shared\n1\n");

        var response = await _client.UploadAsync(second, "shared\n1\n");

        Assert.True(response.Created);
        Assert.Equal((second, 1), (response.Version.Dataset, response.Version.Version));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(1 << 20)]
    public async Task The_chunk_size_does_not_change_the_version(int chunkSize)
    {
        var dataset = await _client.NewDatasetAsync();

        var version = (await _client.UploadAsync(dataset, Iris, chunkSize)).Version;

        Assert.Equal((Sha256(Iris), 4L, 4), (version.Sha256, version.RowCount, version.Columns.Count));
    }

    [Fact]
    public async Task A_matching_expected_sha256_is_accepted_in_either_case()
    {
        var dataset = await _client.NewDatasetAsync();

        var response = await _client.UploadAsync(dataset, Iris, expectedSha256: Sha256(Iris).ToUpperInvariant());

        Assert.True(response.Created);
    }

    [Fact]
    public async Task Header_description_tags_and_delimiter_are_kept()
    {
        var dataset = await _client.NewDatasetAsync();
        var header = new UploadHeader { Dataset = dataset, Delimiter = "\t", Description = "March sample", Tags = { ["source"] = "lab" } };

        var version = (await _client.UploadAsync(header, "a\tb\n1,5\tx\n"u8.ToArray())).Version;

        Assert.Equal(("March sample", "lab"), (version.Description, version.Tags["source"]));
        Assert.Equal([("a", ColumnType.String), ("b", ColumnType.String)], version.Columns.Select(c => (c.Name, c.Type)));
    }

    [Fact]
    public async Task A_version_can_be_read_by_number_or_as_latest()
    {
        var dataset = await _client.NewDatasetAsync();
        await _client.UploadAsync(dataset, "n\n1\n");
        var second = (await _client.UploadAsync(dataset, "n\n2\n")).Version;

        var byNumber = await _client.GetDatasetVersionAsync(new GetDatasetVersionRequest { Dataset = dataset, Version = "2" }, cancellationToken: TestContext.Current.CancellationToken);
        var latest = await _client.GetDatasetVersionAsync(new GetDatasetVersionRequest { Dataset = dataset, Version = "latest" }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(second, byNumber);
        Assert.Equal(second, latest);
    }

    [Theory]
    [InlineData("9", StatusCode.NotFound, "has no version 9; its versions are 1 to 1")]
    [InlineData("0", StatusCode.InvalidArgument, "neither a version number")]
    [InlineData("newest", StatusCode.InvalidArgument, "neither a version number")]
    [InlineData("", StatusCode.InvalidArgument, "neither a version number")]
    public async Task Asking_for_a_version_that_does_not_exist_says_which_do(string version, StatusCode status, string message)
    {
        var dataset = await _client.NewDatasetAsync();
        await _client.UploadAsync(dataset, "n\n1\n");

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await _client.GetDatasetVersionAsync(new GetDatasetVersionRequest { Dataset = dataset, Version = version }, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(status, error.StatusCode);
        Assert.Contains(message, error.Status.Detail);
    }

    [Fact]
    public async Task Latest_of_a_dataset_without_versions_is_not_found()
    {
        var dataset = await _client.NewDatasetAsync();

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await _client.GetDatasetVersionAsync(new GetDatasetVersionRequest { Dataset = dataset, Version = "latest" }, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal((StatusCode.NotFound, $"Dataset '{dataset}' has no versions yet; upload one first."), (error.StatusCode, error.Status.Detail));
    }

    [Fact]
    public async Task Versions_are_listed_newest_first_a_page_at_a_time()
    {
        var dataset = await _client.NewDatasetAsync();
        for (var i = 1; i <= 5; i++)
        {
            await _client.UploadAsync(dataset, $"n\n{i}\n");
        }

        var first = await ListVersionsAsync(dataset, pageSize: 2);
        var second = await ListVersionsAsync(dataset, pageSize: 2, first.NextPageToken);
        var third = await ListVersionsAsync(dataset, pageSize: 2, second.NextPageToken);

        Assert.Equal([5, 4, 3, 2, 1], first.Versions.Concat(second.Versions).Concat(third.Versions).Select(v => v.Version));
        Assert.Equal("", third.NextPageToken);
    }

    private Task<ListDatasetVersionsResponse> ListVersionsAsync(string dataset, int pageSize = 0, string pageToken = "") =>
        _client.ListDatasetVersionsAsync(
            new ListDatasetVersionsRequest { Dataset = dataset, PageSize = pageSize, PageToken = pageToken },
            cancellationToken: TestContext.Current.CancellationToken).ResponseAsync;
}
