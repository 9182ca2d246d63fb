using Marten;
using TrackingApi = MlPlatform.Api.Tracking.V1;

namespace MlPlatform.Tracking.Runs;

/// <summary>Soft delete and restore; both are idempotent.</summary>
internal static class DeleteRun
{
    public static Task<TrackingApi.Run> DeleteAsync(IDocumentSession session, RunReader reader, string runId, CancellationToken cancellationToken) =>
        SetDeletedAsync(session, reader, runId, deleted: true, cancellationToken);

    public static Task<TrackingApi.Run> RestoreAsync(IDocumentSession session, RunReader reader, string runId, CancellationToken cancellationToken) =>
        SetDeletedAsync(session, reader, runId, deleted: false, cancellationToken);

    private static async Task<TrackingApi.Run> SetDeletedAsync(
        IDocumentSession session, RunReader reader, string runId, bool deleted, CancellationToken cancellationToken)
    {
        var (stream, run) = await RunStreams.LockAsync(session, runId, cancellationToken);
        if (run.Deleted != deleted)
        {
            stream.AppendOne(deleted ? new RunDeleted(DateTimeOffset.UtcNow) : new RunRestored(DateTimeOffset.UtcNow));
            await session.SaveChangesAsync(cancellationToken);
        }

        return await reader.GetAsync(run.Id, cancellationToken);
    }
}
