using Npgsql;

namespace MlPlatform.Tracking.Metrics;

/// <summary>
/// The series' chunks after a step in (first_step, chunk_id) order: their small columns in
/// batches, and their points on demand, for as many following chunks as the page still needs.
/// </summary>
internal sealed class ChunkSource(NpgsqlConnection connection, string infoSql, string pointsSql, long seriesId, Position? after)
{
    private readonly long _fromStep = after?.Step ?? long.MinValue;
    private readonly List<Chunk> _pending = [];
    private int _next;
    private (long Step, long ChunkId) _lastListed = (long.MinValue, 0);
    private bool _exhausted;

    public async ValueTask<Chunk?> PeekAsync(CancellationToken cancellationToken)
    {
        if (_next == _pending.Count && !_exhausted)
        {
            await ListAsync(cancellationToken);
        }

        return _next < _pending.Count ? _pending[_next] : null;
    }

    public void Take() => _next++;

    /// <summary>Loads the points of <paramref name="chunk"/> and of the chunks after it, up to <paramref name="wanted"/> points.</summary>
    public async Task LoadAsync(Chunk chunk, int wanted, CancellationToken cancellationToken)
    {
        if (chunk.Loaded)
        {
            return;
        }

        var last = _next - 1;
        for (var covered = chunk.Length; covered < wanted && last + 1 < _pending.Count && !_pending[last + 1].Loaded; covered += _pending[last].Length)
        {
            last++;
        }

        var byId = _pending.Skip(_next - 1).Take(last - _next + 2).ToDictionary(c => c.ChunkId);
        await using var command = new NpgsqlCommand(pointsSql, connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = seriesId });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = _fromStep });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = chunk.FirstStep });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = chunk.ChunkId });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = _pending[last].FirstStep });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = _pending[last].ChunkId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            // A chunk committed since the listing may show up in the range: it is not ours to read.
            if (byId.TryGetValue(reader.GetInt64(0), out var loaded))
            {
                loaded.Steps = await reader.GetFieldValueAsync<long[]>(1, cancellationToken);
                loaded.Timestamps = await reader.GetFieldValueAsync<long[]>(2, cancellationToken);
                loaded.Values = await reader.GetFieldValueAsync<double[]>(3, cancellationToken);
                loaded.Loaded = true;
            }
        }

        if (!chunk.Loaded)
        {
            throw new InvalidOperationException($"Chunk {chunk.ChunkId} of series {seriesId} was listed but its points could not be read.");
        }
    }

    private async Task ListAsync(CancellationToken cancellationToken)
    {
        _pending.RemoveRange(0, _next);
        _next = 0;
        await using var command = new NpgsqlCommand(infoSql, connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = seriesId });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = _fromStep });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = _lastListed.Step });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = _lastListed.ChunkId });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = after?.ChunkId ?? 0 });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = (after?.Index ?? -1) + 1 });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var count = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            _pending.Add(new Chunk(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt32(2)));
            _lastListed = (reader.GetInt64(1), reader.GetInt64(0));
            count++;
        }

        _exhausted = count < 256;
    }
}
