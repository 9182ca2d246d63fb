using System.Buffers;
using Google.Protobuf;
using Grpc.Core;
using Marten;
using MlPlatform.Api.Datasets.V1;
using MlPlatform.BlobStorage;
using MlPlatform.Datasets.DatasetCatalog;
using MlPlatform.Hosting.Grpc;

namespace MlPlatform.Datasets.DownloadingVersions;

internal static class DownloadDatasetVersionHandler
{
    // Large enough that per-message costs vanish, small enough to stay well under gRPC's 4 MiB default limit.
    private const int ChunkBytes = 256 << 10;

    /// <summary>A header with the SHA-256, then the file from the requested offset, so a broken download can resume.</summary>
    public static async Task HandleAsync(
        IQuerySession session,
        IBlobStore blobs,
        DownloadDatasetVersionRequest request,
        IServerStreamWriter<DownloadDatasetVersionResponse> responses,
        CancellationToken cancellationToken)
    {
        var version = await Catalog.FindVersionAsync(session, request.Dataset, request.Version, cancellationToken);
        if (request.Offset < 0 || request.Offset > version.SizeBytes)
        {
            throw new RpcException(new Status(StatusCode.OutOfRange,
                $"Offset {request.Offset} is outside the file, which has {version.SizeBytes} bytes."));
        }

        await using var content = await OpenAsync(blobs, version, request.Offset, cancellationToken);
        await responses.WriteAsync(new DownloadDatasetVersionResponse
        {
            Header = new DownloadHeader
            {
                Dataset = version.Dataset,
                Version = version.Number,
                Sha256 = version.Sha256,
                SizeBytes = version.SizeBytes,
                Offset = request.Offset,
                Deprecated = version.Deprecated,
            },
        }, cancellationToken);

        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            int read;
            while ((read = await content.ReadAsync(buffer.AsMemory(0, ChunkBytes), cancellationToken)) > 0)
            {
                // No copy: WriteAsync has serialised the message by the time it completes, so the buffer is free again.
                await responses.WriteAsync(
                    new DownloadDatasetVersionResponse { Chunk = UnsafeByteOperations.UnsafeWrap(buffer.AsMemory(0, read)) },
                    cancellationToken);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<Stream> OpenAsync(IBlobStore blobs, DatasetCatalog.DatasetVersion version, long offset, CancellationToken cancellationToken)
    {
        var hash = ContentHash.TryParse(version.Sha256, out var parsed) ? parsed : throw new InvalidOperationException($"Stored SHA-256 '{version.Sha256}' is malformed.");
        try
        {
            var content = await blobs.OpenReadAsync(hash, offset, cancellationToken);
            if (content.Length == version.SizeBytes)
            {
                return content;
            }

            await content.DisposeAsync();
        }
        catch (BlobNotFoundException)
        {
        }

        throw Errors.DataLoss(
            $"The file of dataset '{version.Dataset}' version {version.Number} (SHA-256 {version.Sha256}) is missing or damaged in the blob store; "
            + "restore it from a backup or upload it again.");
    }
}
