using MlPlatform.Hosting.Grpc;
using TrackingApi = MlPlatform.Api.Tracking.V1;

namespace MlPlatform.Tracking.Metrics;

/// <summary>
/// The points of one write laid out as they are stored: one segment per key, keys in ordinal
/// order (so concurrent writers lock series rows in the same order and cannot deadlock), each
/// segment in step order (equal steps in arrival order) and stored as one chunk row. Three flat
/// arrays for the whole batch — no allocation per point.
/// </summary>
internal sealed class MetricBatch
{
    public const int MaxPoints = 10_000;
    public const int MaxKeyLength = 250;

    private MetricBatch(int keyCount, int pointCount)
    {
        Keys = new string[keyCount];
        PointCounts = new long[keyCount];
        LatestValues = new double[keyCount];
        LatestSteps = new long[keyCount];
        LatestTimestamps = new long[keyCount];
        SegmentStarts = new int[keyCount];
        SegmentEnds = new int[keyCount];
        Steps = new long[pointCount];
        Timestamps = new long[pointCount];
        Values = new double[pointCount];
    }

    public int Count => Steps.Length;

    public string[] Keys { get; }

    public long[] PointCounts { get; }

    /// <summary>Per key, its point with the highest step, then the latest timestamp, then logged last.</summary>
    public double[] LatestValues { get; }

    public long[] LatestSteps { get; }

    public long[] LatestTimestamps { get; }

    /// <summary>Per key, where its points start and end in the flat arrays, as PostgreSQL array bounds (1-based, inclusive).</summary>
    public int[] SegmentStarts { get; }

    public int[] SegmentEnds { get; }

    public long[] Steps { get; }

    public long[] Timestamps { get; }

    public double[] Values { get; }

    /// <summary>Validates and lays out <paramref name="points"/>; a timestamp of 0 becomes <paramref name="nowMs"/>.</summary>
    public static MetricBatch From(IReadOnlyList<TrackingApi.MetricPoint> points, long nowMs)
    {
        // Count points per key, then order the keys.
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < points.Count; i++)
        {
            var key = ValidKey(points[i].Key, i);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        var batch = new MetricBatch(counts.Count, points.Count);
        counts.Keys.CopyTo(batch.Keys, 0);
        Array.Sort(batch.Keys, StringComparer.Ordinal);

        // Scatter the points into their key's segment, in arrival order.
        var next = new Dictionary<string, int>(counts.Count, StringComparer.Ordinal);
        var offset = 0;
        for (var k = 0; k < batch.Keys.Length; k++)
        {
            next[batch.Keys[k]] = offset;
            batch.SegmentStarts[k] = offset + 1;
            offset += counts[batch.Keys[k]];
            batch.SegmentEnds[k] = offset;
            batch.PointCounts[k] = counts[batch.Keys[k]];
        }

        foreach (var point in points)
        {
            var at = next[point.Key]++;
            batch.Steps[at] = point.Step;
            batch.Timestamps[at] = point.TimestampMs == 0 ? nowMs : point.TimestampMs;
            batch.Values[at] = point.Value;
        }

        for (var k = 0; k < batch.Keys.Length; k++)
        {
            batch.SortSegment(batch.SegmentStarts[k] - 1, batch.SegmentEnds[k]);
            batch.FindLatest(k);
        }

        return batch;
    }

    private static string ValidKey(string key, int index)
    {
        if (key.Length == 0)
        {
            throw Errors.InvalidArgument($"Metric point {index} has no key.");
        }

        if (key.Length > MaxKeyLength)
        {
            throw Errors.InvalidArgument($"Metric key '{key[..40]}…' is {key.Length} characters long; the limit is {MaxKeyLength}.");
        }

        return key;
    }

    // Points usually arrive in step order; sort (stably) only when they did not.
    private void SortSegment(int start, int end)
    {
        var sorted = true;
        for (var i = start + 1; i < end && sorted; i++)
        {
            sorted = Steps[i - 1] <= Steps[i];
        }

        if (sorted)
        {
            return;
        }

        var order = Enumerable.Range(start, end - start).ToArray();
        Array.Sort(order, (a, b) => Steps[a] != Steps[b] ? Steps[a].CompareTo(Steps[b]) : a.CompareTo(b));
        var steps = order.Select(i => Steps[i]).ToArray();
        var timestamps = order.Select(i => Timestamps[i]).ToArray();
        var values = order.Select(i => Values[i]).ToArray();
        steps.CopyTo(Steps, start);
        timestamps.CopyTo(Timestamps, start);
        values.CopyTo(Values, start);
    }

    private void FindLatest(int k)
    {
        var latest = SegmentStarts[k] - 1;
        for (var i = latest + 1; i < SegmentEnds[k]; i++)
        {
            if (Steps[i] > Steps[latest] || (Steps[i] == Steps[latest] && Timestamps[i] >= Timestamps[latest]))
            {
                latest = i;
            }
        }

        LatestValues[k] = Values[latest];
        LatestSteps[k] = Steps[latest];
        LatestTimestamps[k] = Timestamps[latest];
    }
}
