using Marten;
using MlPlatform.Contracts;
using MlPlatform.Hosting.Grpc;
using MlPlatform.Hosting.Outbox;
using MlPlatform.Tracking.Metrics;
using TrackingApi = MlPlatform.Api.Tracking.V1;

namespace MlPlatform.Tracking.Runs;

internal static class EndRun
{
    public static async Task<TrackingApi.Run> HandleAsync(
        IDocumentSession session, LatestMetrics latestMetrics, TrackingApi.EndRunRequest request, CancellationToken cancellationToken)
    {
        var status = request.Status switch
        {
            TrackingApi.RunStatus.Finished => RunStatus.Finished,
            TrackingApi.RunStatus.Failed => RunStatus.Failed,
            TrackingApi.RunStatus.Killed => RunStatus.Killed,
            _ => throw Errors.InvalidArgument("status must be FINISHED, FAILED or KILLED."),
        };

        var (stream, run) = await RunStreams.LockAsync(session, request.RunId, cancellationToken);
        run.EnsureNotDeleted();
        var finalMetrics = await latestMetrics.FinalForRunAsync(session.Connection, run.Id, cancellationToken);
        if (run.Status == status)
        {
            return RunReader.ToApi(run, finalMetrics); // ending again the same way changes nothing
        }

        if (run.Status != RunStatus.Running)
        {
            throw Errors.FailedPrecondition($"Run '{run.Id}' already ended as {run.Status.ToText()}; it cannot end again as {status.ToText()}.");
        }

        var ended = new RunEnded(status, request.EndTime?.ToDateTimeOffset() ?? DateTimeOffset.UtcNow);
        stream.AppendOne(ended);
        // JSON has no NaN or ±Infinity: consumers get the finite final values (GetRun has them all).
        session.PublishAfterCommit(new RunCompleted(
            run.Id,
            run.ExperimentId,
            status.ToText(),
            finalMetrics.Where(m => double.IsFinite(m.Value)).ToDictionary(m => m.Key, m => m.Value),
            ended.EndTime));
        await session.SaveChangesAsync(cancellationToken);
        return RunReader.ToApi(run.Apply(ended), finalMetrics);
    }
}
