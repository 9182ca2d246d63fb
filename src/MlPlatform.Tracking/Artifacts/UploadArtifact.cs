using Grpc.Core;
using Marten;
using MlPlatform.BlobStorage;
using MlPlatform.Hosting.Grpc;
using MlPlatform.Tracking.Runs;
using TrackingApi = MlPlatform.Api.Tracking.V1;

namespace MlPlatform.Tracking.Artifacts;

internal static class UploadArtifact
{
    /// <summary>
    /// Streams the content into the blob store (hashing as it goes), then records the path → hash
    /// in the run's stream. The run is checked before the upload (so a refused upload costs
    /// nothing) and again, locked, when recording it.
    /// </summary>
    public static async Task<TrackingApi.Artifact> HandleAsync(
        IDocumentSession session, IBlobStore blobs, IAsyncStreamReader<TrackingApi.UploadArtifactRequest> requests, CancellationToken cancellationToken)
    {
        if (!await requests.MoveNext(cancellationToken))
        {
            throw Errors.InvalidArgument("The stream is empty; its first message names the run and the path.");
        }

        var first = requests.Current;
        var runId = RunIds.Require(first.RunId);
        var path = ArtifactPath.Validate(first.Path);
        (await RunLookup.GetAsync(session, runId, cancellationToken)).EnsureRunning("artifacts");

        BlobInfo blob;
        await using (var writer = await blobs.StartWriteAsync(cancellationToken))
        {
            var message = first;
            do
            {
                if ((message.RunId.Length > 0 && message.RunId != runId) || (message.Path.Length > 0 && message.Path != path))
                {
                    throw Errors.InvalidArgument($"This stream uploads '{path}' to run '{runId}'; later messages carry content only.");
                }

                await writer.WriteAsync(message.Content.Memory, cancellationToken);
                message = await requests.MoveNext(cancellationToken) ? requests.Current : null;
            }
            while (message is not null);

            blob = await writer.CompleteAsync(cancellationToken: cancellationToken);
        }

        var (stream, locked) = await RunStreams.LockAsync(session, runId, cancellationToken);
        locked.EnsureRunning("artifacts");
        var uploaded = new ArtifactUploaded(path, blob.Hash.Hex, blob.Length, DateTimeOffset.UtcNow);
        stream.AppendOne(uploaded);
        await session.SaveChangesAsync(cancellationToken);
        return ArtifactMapping.ToApi(uploaded);
    }
}
