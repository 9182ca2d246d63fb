namespace MlPlatform.Tracking.Metrics;

/// <summary>
/// Merges a series' chunks into one sequence in (step, chunk, index) order. Chunks usually
/// follow each other (one writer, rising steps), and then whole runs of a chunk are emitted at
/// once; when writers interleave, chunks overlap and a k-way merge orders them — equal steps in
/// the order they were logged.
/// </summary>
internal static class ChunkMerge
{
    /// <summary>
    /// Emits the points after <paramref name="after"/> in (step, chunk, index) order, as runs
    /// within one chunk, until <paramref name="limit"/> points; says whether any are left.
    /// </summary>
    public static async Task<(Position Last, bool More)> MergeAsync(
        ChunkSource source, Position? after, int limit, Action<Chunk, int, int> emit, CancellationToken cancellationToken)
    {
        var open = new PriorityQueue<Cursor, (long Step, long ChunkId)>();
        var emitted = 0;
        var last = default(Position);
        while (emitted < limit)
        {
            var next = await source.PeekAsync(cancellationToken);
            if (next is not null && (!open.TryPeek(out _, out var top) || (next.FirstStep, next.ChunkId).CompareTo(top) < 0))
            {
                // The next chunk may hold the smallest point: open it before emitting anything.
                source.Take();
                await source.LoadAsync(next, limit - emitted, cancellationToken);
                var start = next.StartAfter(after);
                if (start < next.Length)
                {
                    open.Enqueue(new Cursor(next, start), next.KeyAt(start));
                }

                continue;
            }

            if (!open.TryDequeue(out var cursor, out _))
            {
                break;
            }

            // Emit from this chunk up to the first point of any other chunk.
            (long, long)? bound = open.TryPeek(out _, out var second) ? second : null;
            if (next is not null && (bound is null || (next.FirstStep, next.ChunkId).CompareTo(bound.Value) < 0))
            {
                bound = (next.FirstStep, next.ChunkId);
            }

            var end = Math.Min(cursor.Chunk.EndBefore(cursor.Index, bound), cursor.Index + (limit - emitted));
            emit(cursor.Chunk, cursor.Index, end);
            emitted += end - cursor.Index;
            last = new Position(cursor.Chunk.Steps[end - 1], cursor.Chunk.ChunkId, end - 1);
            cursor.Index = end;
            if (end < cursor.Chunk.Length)
            {
                open.Enqueue(cursor, cursor.Chunk.KeyAt(end));
            }
        }

        var more = open.Count > 0 || await source.PeekAsync(cancellationToken) is not null;
        return (last, more);
    }

    private sealed class Cursor(Chunk chunk, int index)
    {
        public Chunk Chunk { get; } = chunk;

        public int Index { get; set; } = index;
    }
}
