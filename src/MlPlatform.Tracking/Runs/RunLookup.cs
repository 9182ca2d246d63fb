using Marten;
using MlPlatform.Hosting.Grpc;

namespace MlPlatform.Tracking.Runs;

internal static class RunLookup
{
    /// <summary>The run as last committed, or NotFound.</summary>
    public static async Task<Run> GetAsync(IQuerySession session, string runId, CancellationToken cancellationToken) =>
        await session.LoadAsync<Run>(RunIds.Require(runId), cancellationToken)
        ?? throw Errors.NotFound($"Run '{runId}' does not exist.");
}
