using System.Runtime.InteropServices;
using System.Text;

namespace MlPlatform.Datasets.Profiling;

/// <summary>
/// The most frequent values of a column in bounded memory: Misra–Gries with batched decrements
/// (the "Frequent" algorithm of Apache DataSketches). While the column has at most
/// <see cref="Capacity"/> distinct values every count is exact; beyond that, a full table subtracts
/// its median count from every counter, which frees half of them, so the work per value stays
/// constant on average and every count is at most <c>values / (Capacity / 2)</c> too low.
/// </summary>
/// <remarks>
/// Counters are keyed by the value's 64-bit hash (computed once per value for
/// <see cref="HyperLogLog"/> too), so counting a value costs one lookup and no decoding; a
/// value's bytes are copied only when it gets a counter.
/// </remarks>
internal sealed class FrequentValues
{
    public const int Capacity = 64;

    // Longer values are identifiers or prose, not categories worth counting.
    public const int MaxValueBytes = 128;

    private readonly Dictionary<ulong, Counter> _counters = new(Capacity);
    private readonly ulong[] _purgeKeys = new ulong[Capacity];
    private long _maxUndercount;

    /// <param name="hash">The value's 64-bit hash; values are told apart by it alone.</param>
    public void Add(ulong hash, ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxValueBytes)
        {
            return;
        }

        if (_counters.Count == Capacity && !_counters.ContainsKey(hash))
        {
            Purge();
        }

        ref var counter = ref CollectionsMarshal.GetValueRefOrAddDefault(_counters, hash, out var counted);
        if (!counted)
        {
            counter.Value = utf8.ToArray();
        }

        counter.Count++;
    }

    /// <summary>
    /// Up to <paramref name="limit"/> values, most frequent first — only those whose count is
    /// certain to exceed the possible error, so an all-distinct column lists none.
    /// </summary>
    public IReadOnlyList<ValueCount> Top(int limit) =>
    [
        .. _counters.Values
            .Where(counter => counter.Count > _maxUndercount)
            .Select(counter => new ValueCount(Encoding.UTF8.GetString(counter.Value), counter.Count))
            .OrderByDescending(top => top.Count)
            .ThenBy(top => top.Value, StringComparer.Ordinal)
            .Take(limit),
    ];

    private void Purge()
    {
        Span<long> counts = stackalloc long[Capacity];
        var i = 0;
        foreach (var (key, counter) in _counters)
        {
            _purgeKeys[i] = key;
            counts[i++] = counter.Count;
        }

        counts.Sort();
        var median = counts[Capacity / 2];
        foreach (var key in _purgeKeys)
        {
            ref var counter = ref CollectionsMarshal.GetValueRefOrNullRef(_counters, key);
            counter.Count -= median;
            if (counter.Count <= 0)
            {
                _counters.Remove(key);
            }
        }

        _maxUndercount += median;
    }

    private struct Counter
    {
        public byte[] Value;
        public long Count;
    }
}
