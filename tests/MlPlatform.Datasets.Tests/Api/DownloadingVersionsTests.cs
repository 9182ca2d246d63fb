using System.Text;
using Grpc.Core;

namespace MlPlatform.Datasets.Tests.Api;

public sealed class DownloadingVersionsTests(DatasetsFactory service) : IClassFixture<DatasetsFactory>
{
    private readonly DatasetsClient _client = service.Client;

    [Fact]
    public async Task Downloading_sends_the_sha256_first_and_then_the_exact_bytes()
    {
        var dataset = await _client.NewDatasetAsync();
        var csv = "id,text\n" + string.Concat(Enumerable.Range(0, 20_000).Select(i => $"{i},\"line {i}, \"\"quoted\"\"\"\r\n"));
        await _client.UploadAsync(dataset, csv);

        var (header, content) = await _client.DownloadAsync(dataset, "1");

        Assert.Equal((dataset, 1, DatasetsClientExtensions.Sha256(csv), (long)content.Length, 0L, false),
            (header.Dataset, header.Version, header.Sha256, header.SizeBytes, header.Offset, header.Deprecated));
        Assert.Equal(Encoding.UTF8.GetBytes(csv), content);
    }

    [Fact]
    public async Task Downloading_latest_sends_the_newest_version()
    {
        var dataset = await _client.NewDatasetAsync();
        await _client.UploadAsync(dataset, "n\n1\n");
        await _client.UploadAsync(dataset, "n\n2\n");

        var (header, content) = await _client.DownloadAsync(dataset, "latest");

        Assert.Equal(2, header.Version);
        Assert.Equal("n\n2\n"u8.ToArray(), content);
    }

    [Fact]
    public async Task A_download_resumes_from_a_byte_offset()
    {
        var dataset = await _client.NewDatasetAsync();
        await _client.UploadAsync(dataset, "letter\nabc\n");

        var (header, rest) = await _client.DownloadAsync(dataset, "1", offset: 8);
        var (_, nothing) = await _client.DownloadAsync(dataset, "1", offset: 11);

        Assert.Equal((8L, 11L, DatasetsClientExtensions.Sha256("letter\nabc\n")), (header.Offset, header.SizeBytes, header.Sha256));
        Assert.Equal("bc\n"u8.ToArray(), rest);
        Assert.Empty(nothing);
    }

    [Theory]
    [InlineData(12)]
    [InlineData(-1)]
    public async Task An_offset_outside_the_file_is_out_of_range(long offset)
    {
        var dataset = await _client.NewDatasetAsync();
        await _client.UploadAsync(dataset, "letter\nabc\n");

        var error = await Assert.ThrowsAsync<RpcException>(() => _client.DownloadAsync(dataset, "1", offset));

        Assert.Equal((StatusCode.OutOfRange, $"Offset {offset} is outside the file, which has 11 bytes."), (error.StatusCode, error.Status.Detail));
    }

    [Fact]
    public async Task Downloading_a_version_that_does_not_exist_is_not_found()
    {
        var dataset = await _client.NewDatasetAsync();
        await _client.UploadAsync(dataset, "n\n1\n");

        var error = await Assert.ThrowsAsync<RpcException>(() => _client.DownloadAsync(dataset, "2"));

        Assert.Equal((StatusCode.NotFound, $"Dataset '{dataset}' has no version 2; its versions are 1 to 1."), (error.StatusCode, error.Status.Detail));
    }

    [Fact]
    public async Task A_blob_lost_from_the_store_is_reported_as_data_loss()
    {
        var dataset = await _client.NewDatasetAsync();
        var version = (await _client.UploadAsync(dataset, "lost\n1\n")).Version;
        File.Delete(Assert.Single(service.BlobFiles, path => path.EndsWith(version.Sha256, StringComparison.Ordinal)));

        var error = await Assert.ThrowsAsync<RpcException>(() => _client.DownloadAsync(dataset, "1"));

        Assert.Equal(StatusCode.DataLoss, error.StatusCode);
        Assert.Contains("missing or damaged in the blob store", error.Status.Detail);
    }
}
