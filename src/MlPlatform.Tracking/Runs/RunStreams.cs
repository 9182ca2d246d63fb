using JasperFx.Events;
using Marten;
using MlPlatform.Hosting.Grpc;

namespace MlPlatform.Tracking.Runs;

internal static class RunStreams
{
    /// <summary>
    /// The run's stream, row-locked until the session commits: concurrent writers to one run
    /// (several clients logging params, say) queue up instead of failing with a conflict.
    /// </summary>
    public static async Task<(IEventStream<Run> Stream, Run Run)> LockAsync(IDocumentSession session, string runId, CancellationToken cancellationToken)
    {
        var stream = await session.Events.FetchForExclusiveWriting<Run>(RunIds.Require(runId), cancellationToken);
        return stream.Aggregate is { } run
            ? (stream, run)
            : throw Errors.NotFound($"Run '{runId}' does not exist.");
    }
}
