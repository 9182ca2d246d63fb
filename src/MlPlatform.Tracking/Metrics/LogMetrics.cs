using Google.Protobuf.Collections;
using Grpc.Core;
using MlPlatform.Hosting.Grpc;
using MlPlatform.Tracking.Runs;
using TrackingApi = MlPlatform.Api.Tracking.V1;

namespace MlPlatform.Tracking.Metrics;

internal static class LogMetrics
{
    /// <summary>A stream's points are written once this many wait, or once the oldest waited this long.</summary>
    private const int FlushPoints = MetricBatch.MaxPoints;
    private static readonly TimeSpan s_flushInterval = TimeSpan.FromSeconds(1);

    public static async Task<TrackingApi.LogMetricsResponse> HandleAsync(MetricWriter writer, TrackingApi.LogMetricsRequest request, CancellationToken cancellationToken)
    {
        var runId = RunIds.Require(request.RunId);
        var batch = MetricBatch.From(WithinLimit(request.Points), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        await writer.WriteAsync(runId, batch, cancellationToken);
        return new TrackingApi.LogMetricsResponse { PointsLogged = batch.Count };
    }

    /// <summary>
    /// Buffers the stream's points and writes them in batches of up to <see cref="FlushPoints"/>;
    /// a quiet stream is flushed after a second, so charts follow a slow training loop. Points
    /// written before a failure stay written.
    /// </summary>
    public static async Task<TrackingApi.LogMetricsResponse> HandleStreamAsync(
        MetricWriter writer, IAsyncStreamReader<TrackingApi.StreamMetricsRequest> requests, CancellationToken cancellationToken)
    {
        string? runId = null;
        var buffer = new List<TrackingApi.MetricPoint>(FlushPoints);
        Task? flushDue = null; // completes when the oldest buffered point has waited long enough
        var logged = 0L;

        async Task FlushAsync()
        {
            flushDue = null;
            if (buffer.Count == 0)
            {
                return;
            }

            var batch = MetricBatch.From(buffer, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            await writer.WriteAsync(runId!, batch, cancellationToken);
            logged += batch.Count;
            buffer.Clear();
        }

        Task<bool>? moveNext = null;
        while (true)
        {
            moveNext ??= requests.MoveNext(cancellationToken);
            if (flushDue is not null && !moveNext.IsCompleted && await Task.WhenAny(moveNext, flushDue) != moveNext)
            {
                await FlushAsync(); // the client went quiet: store what waits, keep the read pending
                continue;
            }

            if (!await moveNext)
            {
                break;
            }

            moveNext = null;
            var message = requests.Current;
            if (message.RunId.Length > 0 && runId is not null && message.RunId != runId)
            {
                throw Errors.InvalidArgument($"This stream logs to run '{runId}'; open another stream for run '{message.RunId}'.");
            }

            runId ??= RunIds.Require(message.RunId);
            var points = WithinLimit(message.Points);
            if (buffer.Count + points.Count > FlushPoints || flushDue?.IsCompleted == true)
            {
                await FlushAsync();
            }

            if (points.Count > 0)
            {
                flushDue ??= Task.Delay(s_flushInterval, cancellationToken);
                buffer.AddRange(points);
            }
        }

        await FlushAsync();
        return new TrackingApi.LogMetricsResponse { PointsLogged = logged };
    }

    private static RepeatedField<TrackingApi.MetricPoint> WithinLimit(RepeatedField<TrackingApi.MetricPoint> points) =>
        points.Count <= MetricBatch.MaxPoints
            ? points
            : throw Errors.InvalidArgument($"A batch holds at most {MetricBatch.MaxPoints} points; this one has {points.Count}. Split it.");
}
