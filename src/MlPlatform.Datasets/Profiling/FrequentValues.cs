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
/// value's bytes are copied only when it gets a counter. The table is a small open-addressing
/// hash table over parallel arrays, and each counter's bytes go into a buffer that is reused when
/// the counter is freed: columns of distinct values (ids, amounts, times) replace counters all the
/// time, and this keeps that free of allocations and dictionary bookkeeping. Once counts may be
/// low (after a purge or skipped values), a count of 1 can no longer be reported, so a new
/// counter's bytes are copied only when the value comes again — most values of such columns never do.
/// </remarks>
internal sealed class FrequentValues
{
    public const int Capacity = 64;

    // Longer values are identifiers or prose, not categories worth counting.
    public const int MaxValueBytes = 128;

    // Twice the counters, a power of two: probe sequences stay short.
    private const int SlotCount = 2 * Capacity;

    // Counter i: its hash, count and value (the first _lengths[i] bytes of _values[i]; -1 = not copied yet).
    private readonly ulong[] _hashes = new ulong[Capacity];
    private readonly long[] _counts = new long[Capacity];
    private readonly byte[]?[] _values = new byte[]?[Capacity];
    private readonly int[] _lengths = new int[Capacity];

    // Linear probing by hash: a slot holds a counter's index + 1, or 0 when empty.
    private readonly byte[] _slots = new byte[SlotCount];
    private int _count;
    private long _maxUndercount;

    /// <summary>Whether every count is exact: no purge, no skipped values yet.</summary>
    public bool IsExact => _maxUndercount == 0;

    /// <summary>Accounts for values that were not counted: each count may be that much too low.</summary>
    public void Skip(long values) => _maxUndercount += values;

    /// <param name="hash">The value's 64-bit hash; values are told apart by it alone.</param>
    public void Add(ulong hash, ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxValueBytes)
        {
            return;
        }

        var slot = FindSlot(hash);
        if (_slots[slot] != 0)
        {
            var counter = _slots[slot] - 1;
            if (++_counts[counter] == 2 && _lengths[counter] < 0)
            {
                Store(counter, utf8);
            }

            return;
        }

        if (_count == Capacity)
        {
            Purge();
            slot = FindSlot(hash);
        }

        var index = _count++;
        _hashes[index] = hash;
        _counts[index] = 1;
        _lengths[index] = -1;
        if (_maxUndercount == 0)
        {
            Store(index, utf8); // counts are exact: a count of 1 may still be reported
        }

        _slots[slot] = (byte)(index + 1);
    }

    /// <summary>Counts the value once more if the counts are exact and it has a counter already.</summary>
    public bool TryCountAgain(ulong hash)
    {
        if (!IsExact)
        {
            return false;
        }

        var slot = FindSlot(hash);
        if (_slots[slot] == 0)
        {
            return false;
        }

        _counts[_slots[slot] - 1]++;
        return true;
    }

    /// <summary>
    /// Up to <paramref name="limit"/> values, most frequent first — only those whose count is
    /// certain to exceed the possible error, so an all-distinct column lists none. Those all have
    /// their bytes: a count above the error is above 1 once there was a purge.
    /// </summary>
    public IReadOnlyList<ValueCount> Top(int limit) =>
    [
        .. Enumerable.Range(0, _count)
            .Where(i => _counts[i] > _maxUndercount)
            .Select(i => new ValueCount(Encoding.UTF8.GetString(_values[i]!, 0, _lengths[i]), _counts[i]))
            .OrderByDescending(top => top.Count)
            .ThenBy(top => top.Value, StringComparer.Ordinal)
            .Take(limit),
    ];

    private void Store(int counter, ReadOnlySpan<byte> utf8)
    {
        if (_values[counter] is not { } buffer || buffer.Length < utf8.Length)
        {
            _values[counter] = buffer = new byte[utf8.Length];
        }

        utf8.CopyTo(buffer);
        _lengths[counter] = utf8.Length;
    }

    /// <summary>The slot that holds <paramref name="hash"/>'s counter, or the empty slot where it would go.</summary>
    private int FindSlot(ulong hash)
    {
        var slot = (int)hash & (SlotCount - 1);
        while (_slots[slot] != 0 && _hashes[_slots[slot] - 1] != hash)
        {
            slot = (slot + 1) & (SlotCount - 1);
        }

        return slot;
    }

    /// <summary>Subtracts the median count from every counter and frees those that reach zero.</summary>
    private void Purge()
    {
        // Columns of (nearly) distinct values fill the table with equal counts: all of them go.
        var first = _counts[0];
        if (!_counts.AsSpan(1, _count - 1).ContainsAnyExcept(first))
        {
            _maxUndercount += first;
            _count = 0;
            Array.Clear(_slots);
            return;
        }

        var median = Median(_counts);
        _maxUndercount += median;

        // Keep the counters that stay above zero, packed at the front; a freed counter's buffer
        // moves to the back, to be reused.
        var kept = 0;
        for (var i = 0; i < _count; i++)
        {
            var count = _counts[i] - median;
            if (count <= 0)
            {
                continue;
            }

            (_values[kept], _values[i]) = (_values[i], _values[kept]);
            _hashes[kept] = _hashes[i];
            _lengths[kept] = _lengths[i];
            _counts[kept] = count;
            kept++;
        }

        _count = kept;
        Array.Clear(_slots);
        for (var i = 0; i < _count; i++)
        {
            _slots[FindSlot(_hashes[i])] = (byte)(i + 1);
        }
    }

    /// <summary>The count at index <c>Capacity / 2</c> in ascending order, found without sorting.</summary>
    /// <remarks>
    /// Mostly-distinct columns leave most counts at one, which settles it at once; otherwise a
    /// quickselect narrows a copy around that index (a full sort cost most of a purge).
    /// </remarks>
    private static long Median(long[] counts)
    {
        const int middle = Capacity / 2;
        if (counts.AsSpan().Count(1L) > middle)
        {
            return 1;
        }

        Span<long> values = stackalloc long[Capacity];
        counts.CopyTo(values);
        var (low, high) = (0, Capacity - 1);
        while (low < high)
        {
            // Hoare partition around the middle value of the range; then keep only the side that holds the index.
            var pivot = values[low + ((high - low) / 2)];
            var (i, j) = (low, high);
            while (i <= j)
            {
                while (values[i] < pivot)
                {
                    i++;
                }

                while (values[j] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }

            if (middle <= j)
            {
                high = j;
            }
            else if (middle >= i)
            {
                low = i;
            }
            else
            {
                break; // the middle lies between the two sides: all equal to the pivot there
            }
        }

        return values[middle];
    }
}
