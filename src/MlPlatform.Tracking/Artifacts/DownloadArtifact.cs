using System.Buffers;
using Google.Protobuf;
using Grpc.Core;
using Marten;
using MlPlatform.BlobStorage;
using MlPlatform.Hosting.Grpc;
using MlPlatform.Tracking.Runs;
using TrackingApi = MlPlatform.Api.Tracking.V1;

namespace MlPlatform.Tracking.Artifacts;

internal static class DownloadArtifact
{
    /// <summary>Well under gRPC's 4 MB message limit, large enough to keep the stream efficient.</summary>
    private const int ChunkSize = 256 * 1024;

    public static async Task HandleAsync(
        IQuerySession session, IBlobStore blobs, TrackingApi.DownloadArtifactRequest request,
        IServerStreamWriter<TrackingApi.DownloadArtifactResponse> responses, CancellationToken cancellationToken)
    {
        var artifact = await FindAsync(session, request.RunId, request.Path, cancellationToken);
        if (!ContentHash.TryParse(artifact.Sha256, out var hash))
        {
            throw Errors.DataLoss($"Artifact '{artifact.Path}' records an invalid hash '{artifact.Sha256}'.");
        }

        Stream content;
        try
        {
            content = await blobs.OpenReadAsync(hash, cancellationToken: cancellationToken);
        }
        catch (BlobNotFoundException)
        {
            throw Errors.DataLoss($"The content of artifact '{artifact.Path}' (SHA-256 {artifact.Sha256}) is missing from the blob store.");
        }

        await using (content)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
            try
            {
                int read;
                while ((read = await content.ReadAtLeastAsync(buffer.AsMemory(0, ChunkSize), ChunkSize, throwOnEndOfStream: false, cancellationToken)) > 0)
                {
                    await responses.WriteAsync(new TrackingApi.DownloadArtifactResponse { Content = ByteString.CopyFrom(buffer, 0, read) }, cancellationToken);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private static async Task<ArtifactUploaded> FindAsync(IQuerySession session, string runId, string path, CancellationToken cancellationToken)
    {
        var run = await RunLookup.GetAsync(session, runId, cancellationToken);
        return run.Artifacts.GetValueOrDefault(path) ?? throw Errors.NotFound($"Run '{runId}' has no artifact '{path}'.");
    }
}
