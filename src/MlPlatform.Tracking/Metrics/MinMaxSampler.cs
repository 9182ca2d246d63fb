using TrackingApi = MlPlatform.Api.Tracking.V1;

namespace MlPlatform.Tracking.Metrics;

/// <summary>
/// Downsampling for charts: splits the series into max_points/2 equal runs of points and keeps
/// each run's lowest and highest value, in step order — the shape, spikes included.
/// </summary>
internal sealed class MinMaxSampler(TrackingApi.MetricHistory history, long pointCount, int maxPoints)
{
    private readonly long _bucketSize = (pointCount + (maxPoints / 2) - 1) / (maxPoints / 2);
    private long _seen;
    private (long Step, double Value, long Timestamp, long At)? _min;
    private (long Step, double Value, long Timestamp, long At)? _max;

    public void Add(Chunk chunk, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            var point = (chunk.Steps[i], chunk.Values[i], chunk.Timestamps[i], _seen);
            if (_min is null || chunk.Values[i] < _min.Value.Value)
            {
                _min = point;
            }

            if (_max is null || chunk.Values[i] > _max.Value.Value)
            {
                _max = point;
            }

            if (++_seen % _bucketSize == 0)
            {
                Flush();
            }
        }
    }

    public void Flush()
    {
        if (_min is not { } min || _max is not { } max)
        {
            return;
        }

        var (first, second) = min.At <= max.At ? (min, max) : (max, min);
        Append(first);
        if (second.At != first.At)
        {
            Append(second);
        }

        _min = _max = null;
    }

    private void Append((long Step, double Value, long Timestamp, long At) point)
    {
        history.Steps.Add(point.Step);
        history.Values.Add(point.Value);
        history.TimestampsMs.Add(point.Timestamp);
    }
}
