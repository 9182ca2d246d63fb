using System.Text;
using Google.Protobuf;
using Grpc.Core;
using MlPlatform.Api.Datasets.V1;

namespace MlPlatform.Datasets.Tests.Api;

/// <summary>Every bad upload fails with a status and a message a person can act on, and leaves nothing behind.</summary>
public sealed class UploadErrorsTests(DatasetsFactory service) : IClassFixture<DatasetsFactory>
{
    private readonly DatasetsClient _client = service.Client;

    [Fact]
    public async Task An_empty_stream_is_rejected()
    {
        await AssertRejectedAsync(_ => [], StatusCode.InvalidArgument, "The upload stream is empty");
    }

    [Fact]
    public async Task A_stream_that_does_not_start_with_a_header_is_rejected()
    {
        await AssertRejectedAsync(_ => [Chunk("a\n1\n")], StatusCode.InvalidArgument, "first message of an upload must be the header");
    }

    [Fact]
    public async Task A_second_header_is_rejected()
    {
        await AssertRejectedAsync(
            dataset => [Header(dataset), Chunk("a\n1\n"), Header(dataset)], StatusCode.InvalidArgument, "second header");
    }

    [Fact]
    public async Task An_unknown_dataset_is_not_found()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _client.UploadAsync("no-such-dataset", "a\n1\n"));

        Assert.Equal((StatusCode.NotFound, "Dataset 'no-such-dataset' does not exist; create it first."), (error.StatusCode, error.Status.Detail));
    }

    [Theory]
    [InlineData("../etc")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("Upper")]
    [InlineData("")]
    public async Task A_dataset_name_with_path_characters_is_rejected(string name)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _client.UploadAsync(name, "a\n1\n"));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("Dataset name", error.Status.Detail);
        Assert.Empty(service.BlobFiles);
    }

    [Fact]
    public async Task An_empty_file_is_rejected()
    {
        await AssertRejectedAsync(dataset => [Header(dataset)], StatusCode.InvalidArgument, "The file is empty");
    }

    [Fact]
    public async Task A_file_with_only_a_header_row_is_rejected()
    {
        await AssertRejectedAsync(dataset => [Header(dataset), Chunk("a,b\r\n")], StatusCode.InvalidArgument, "header row but no data rows");
    }

    [Fact]
    public async Task A_ragged_row_is_rejected_naming_the_row()
    {
        var rows = string.Concat(Enumerable.Range(1, 5000).Select(i => $"{i},{i}\n"));

        await AssertRejectedAsync(
            dataset => [Header(dataset), .. Chunks($"a,b\n{rows}5001\n{rows}", 1000)],
            StatusCode.InvalidArgument,
            "Data row 5001 (line 5002) has 1 field, but the header has 2.");
    }

    [Theory]
    [InlineData("a,,c\n1,2,3\n", "Column 2 of the header row has no name")]
    [InlineData("a,b,a\n1,2,3\n", "names two columns 'a' (columns 1 and 3)")]
    public async Task Duplicate_or_empty_column_names_are_rejected(string csv, string message)
    {
        await AssertRejectedAsync(dataset => [Header(dataset), Chunk(csv)], StatusCode.InvalidArgument, message);
    }

    [Fact]
    public async Task Invalid_utf8_is_rejected_naming_the_byte_offset()
    {
        byte[] latin1 = [.. "name\nJos"u8, 0xE9, .. "\n"u8];

        await AssertRejectedAsync(
            dataset => [Header(dataset), new UploadDatasetVersionRequest { Chunk = ByteString.CopyFrom(latin1) }],
            StatusCode.InvalidArgument,
            "not valid UTF-8: byte offset 8 (line 2)");
    }

    [Fact]
    public async Task Malformed_quoting_is_rejected_naming_the_line()
    {
        await AssertRejectedAsync(dataset => [Header(dataset), Chunk("a,b\n1,\"x\n2,3\n")], StatusCode.InvalidArgument, "starts on line 2 is never closed");
    }

    [Fact]
    public async Task A_mismatching_expected_sha256_is_data_loss()
    {
        var expected = DatasetsClientExtensions.Sha256("a\n2\n");

        await AssertRejectedAsync(
            dataset => [new UploadDatasetVersionRequest { Header = new UploadHeader { Dataset = dataset, ExpectedSha256 = expected } }, Chunk("a\n1\n")],
            StatusCode.DataLoss,
            $"not the {expected} the header expected");
    }

    [Theory]
    [InlineData("\"", "", "Delimiter '\"' is invalid")]
    [InlineData(";;", "", "Delimiter ';;' is invalid")]
    [InlineData("", "abc", "expected_sha256 'abc' is not a SHA-256")]
    public async Task An_invalid_delimiter_or_expected_hash_is_rejected(string delimiter, string expectedSha256, string message)
    {
        await AssertRejectedAsync(
            dataset => [new UploadDatasetVersionRequest { Header = new UploadHeader { Dataset = dataset, Delimiter = delimiter, ExpectedSha256 = expectedSha256 } }, Chunk("a\n1\n")],
            StatusCode.InvalidArgument,
            message);
    }

    [Fact]
    public async Task An_upload_over_the_size_limit_is_resource_exhausted()
    {
        var row = new string('x', 1000) + "\n";
        var csv = "a\n" + string.Concat(Enumerable.Repeat(row, (int)(DatasetsFactory.DefaultMaxUploadBytes / row.Length) + 1));

        await AssertRejectedAsync(
            dataset => [Header(dataset), .. Chunks(csv, 64 << 10)],
            StatusCode.ResourceExhausted,
            $"larger than the {DatasetsFactory.DefaultMaxUploadBytes:N0} bytes");
    }

    [Fact]
    public async Task An_upload_aborted_by_the_client_stores_nothing()
    {
        var dataset = await _client.NewDatasetAsync();
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        using (var call = _client.UploadDatasetVersion(cancellationToken: abort.Token))
        {
            await call.RequestStream.WriteAsync(Header(dataset), TestContext.Current.CancellationToken);
            await call.RequestStream.WriteAsync(Chunk("a,b\n1,2\n"), TestContext.Current.CancellationToken);
            await WaitUntilAsync(() => service.BlobFiles.Count == 1); // the service is writing the blob
            await abort.CancelAsync();
            await Assert.ThrowsAnyAsync<Exception>(() => call.ResponseAsync);
        }

        await WaitUntilAsync(() => service.BlobFiles.Count == 0);
        await AssertNothingCreatedAsync(dataset);
    }

    private async Task AssertRejectedAsync(Func<string, UploadDatasetVersionRequest[]> messages, StatusCode status, string message)
    {
        var dataset = await _client.NewDatasetAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => _client.SendAsync(messages(dataset)));

        Assert.Equal(status, error.StatusCode);
        Assert.Contains(message, error.Status.Detail);
        await AssertNothingCreatedAsync(dataset);
    }

    private async Task AssertNothingCreatedAsync(string dataset)
    {
        var versions = await _client.ListDatasetVersionsAsync(new ListDatasetVersionsRequest { Dataset = dataset }, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Empty(versions.Versions);
        Assert.Equal(0, (await _client.GetDatasetAsync(new GetDatasetRequest { Name = dataset }, cancellationToken: TestContext.Current.CancellationToken)).LatestVersion);
        Assert.Empty(service.BlobFiles);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    private static UploadDatasetVersionRequest Header(string dataset) => new() { Header = new UploadHeader { Dataset = dataset } };

    private static UploadDatasetVersionRequest Chunk(string text) => new() { Chunk = ByteString.CopyFromUtf8(text) };

    private static IEnumerable<UploadDatasetVersionRequest> Chunks(string text, int size) =>
        Encoding.UTF8.GetBytes(text).Chunk(size).Select(chunk => new UploadDatasetVersionRequest { Chunk = ByteString.CopyFrom(chunk) });
}
