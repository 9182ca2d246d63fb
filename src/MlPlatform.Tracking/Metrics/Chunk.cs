namespace MlPlatform.Tracking.Metrics;

/// <summary>A chunk row: up to a batch of one key's points in step order; the points are loaded when it is opened.</summary>
internal sealed class Chunk(long chunkId, long firstStep, int pointCount)
{
    public long ChunkId { get; } = chunkId;

    public long FirstStep { get; } = firstStep;

    public int Length { get; } = pointCount;

    public long[] Steps { get; set; } = [];

    public long[] Timestamps { get; set; } = [];

    public double[] Values { get; set; } = [];

    public bool Loaded { get; set; }

    public (long, long) KeyAt(int index) => (Steps[index], ChunkId);

    /// <summary>Index of the first point ordered after <paramref name="after"/>.</summary>
    public int StartAfter(Position? after) => after switch
    {
        null => 0,
        { ChunkId: var id } when id == ChunkId => Math.Min(after.Value.Index + 1, Length),
        _ when ChunkId < after.Value.ChunkId => FirstIndexOf(after.Value.Step, inclusive: false, 0),
        _ => FirstIndexOf(after.Value.Step, inclusive: true, 0),
    };

    /// <summary>End (exclusive) of the points from <paramref name="from"/> ordered before <paramref name="bound"/>.</summary>
    public int EndBefore(int from, (long Step, long ChunkId)? bound) =>
        bound is not { } b ? Length : FirstIndexOf(b.Step, inclusive: ChunkId > b.ChunkId, from);

    // First index whose step is >= step (inclusive) or > step (exclusive): a binary search.
    private int FirstIndexOf(long step, bool inclusive, int from)
    {
        int low = from, high = Length;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (Steps[middle] < step || (!inclusive && Steps[middle] == step))
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
