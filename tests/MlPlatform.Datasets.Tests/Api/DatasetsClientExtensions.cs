using System.Text;
using Google.Protobuf;
using Grpc.Core;
using MlPlatform.Api.Datasets.V1;

namespace MlPlatform.Datasets.Tests.Api;

internal static class DatasetsClientExtensions
{
    public static async Task<string> NewDatasetAsync(this DatasetsClient client, string prefix = "ds", Dictionary<string, string>? tags = null)
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 100)];
        await client.CreateDatasetAsync(new CreateDatasetRequest { Name = name, Tags = { tags ?? [] } }, cancellationToken: TestContext.Current.CancellationToken);
        return name;
    }

    public static Task<UploadDatasetVersionResponse> UploadAsync(
        this DatasetsClient client, string dataset, string csv, int chunkSize = 64 << 10, string expectedSha256 = "") =>
        client.UploadAsync(new UploadHeader { Dataset = dataset, ExpectedSha256 = expectedSha256 }, Encoding.UTF8.GetBytes(csv), chunkSize);

    public static Task<UploadDatasetVersionResponse> UploadAsync(
        this DatasetsClient client, UploadHeader header, byte[] content, int chunkSize = 64 << 10) =>
        client.SendAsync(
            [new UploadDatasetVersionRequest { Header = header },
             .. content.Chunk(chunkSize).Select(chunk => new UploadDatasetVersionRequest { Chunk = ByteString.CopyFrom(chunk) })]);

    /// <summary>Sends the messages as they are, then returns the response or throws the call's status.</summary>
    public static async Task<UploadDatasetVersionResponse> SendAsync(this DatasetsClient client, IEnumerable<UploadDatasetVersionRequest> messages)
    {
        using var call = client.UploadDatasetVersion(cancellationToken: TestContext.Current.CancellationToken);
        try
        {
            foreach (var message in messages)
            {
                await call.RequestStream.WriteAsync(message, TestContext.Current.CancellationToken);
            }

            await call.RequestStream.CompleteAsync();
        }
        catch (RpcException)
        {
            // The service ended the call early, e.g. on a bad row; its status is the response's.
        }

        return await call.ResponseAsync;
    }

    public static async Task<(DownloadHeader Header, byte[] Content)> DownloadAsync(
        this DatasetsClient client, string dataset, string version, long offset = 0)
    {
        using var call = client.DownloadDatasetVersion(
            new DownloadDatasetVersionRequest { Dataset = dataset, Version = version, Offset = offset },
            cancellationToken: TestContext.Current.CancellationToken);
        DownloadHeader? header = null;
        using var content = new MemoryStream();
        await foreach (var message in call.ResponseStream.ReadAllAsync(TestContext.Current.CancellationToken))
        {
            if (message.ContentCase == DownloadDatasetVersionResponse.ContentOneofCase.Header)
            {
                Assert.Null(header);
                header = message.Header;
            }
            else
            {
                Assert.NotNull(header);
                message.Chunk.WriteTo(content);
            }
        }

        return (Assert.IsType<DownloadHeader>(header), content.ToArray());
    }

    public static string Sha256(string text) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
