using Grpc.Core;
using MlPlatform.Api.Tracking.V1;
using MlPlatform.Tracking.Metrics;

namespace MlPlatform.Tracking.Tests.Metrics;

/// <summary>How a write is laid out before it reaches PostgreSQL.</summary>
public sealed class MetricBatchTests
{
    private static MetricPoint Point(string key, double value, long step, long timestampMs = 100) =>
        new() { Key = key, Value = value, Step = step, TimestampMs = timestampMs };

    [Fact]
    public void Keys_are_ordered_and_each_keys_points_are_one_segment_in_step_order()
    {
        var batch = MetricBatch.From([Point("b", 1, 3), Point("a", 2, 1), Point("b", 3, 1), Point("b", 4, 3), Point("b", 5, 2)], nowMs: 0);

        Assert.Equal(["a", "b"], batch.Keys);
        Assert.Equal([1, 2], batch.SegmentStarts); // PostgreSQL array bounds: 1-based, inclusive
        Assert.Equal([1, 5], batch.SegmentEnds);
        Assert.Equal([1L, 1, 2, 3, 3], batch.Steps);
        Assert.Equal([2.0, 3, 5, 1, 4], batch.Values); // equal steps keep their arrival order
        Assert.Equal([1L, 4], batch.PointCounts);
    }

    [Fact]
    public void The_latest_point_is_the_highest_step_then_the_latest_time_then_the_last_logged()
    {
        var batch = MetricBatch.From([Point("k", 1, 5, 300), Point("k", 2, 5, 200), Point("k", 3, 4, 900), Point("k", 4, 5, 300)], nowMs: 0);

        Assert.Equal(4, batch.LatestValues[0]);
        Assert.Equal(5, batch.LatestSteps[0]);
        Assert.Equal(300, batch.LatestTimestamps[0]);
    }

    [Fact]
    public void A_missing_timestamp_becomes_now()
    {
        var batch = MetricBatch.From([Point("k", 1, 1, timestampMs: 0)], nowMs: 42);
        Assert.Equal([42L], batch.Timestamps);
    }

    [Theory]
    [InlineData(0, "has no key")]
    [InlineData(251, "limit is 250")]
    public void Keys_are_checked(int length, string message)
    {
        var error = Assert.Throws<RpcException>(() => MetricBatch.From([Point(new string('k', length), 1, 1)], nowMs: 0));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(message, error.Status.Detail, StringComparison.Ordinal);
    }
}
