using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;
using MlPlatform.Datasets.Profiling;

namespace MlPlatform.Datasets.Tests.Profiling;

/// <summary>The table behind top values must count exactly as the algorithm it implements.</summary>
public sealed class FrequentValuesTests
{
    [Fact]
    public void Frequent_values_match_a_reference_implementation_of_the_algorithm()
    {
        // Skewed streams over alphabets larger than the table, so that purges happen all the time.
        var random = new Random(7);
        foreach (var alphabet in (int[])[10, 70, 500, 100_000])
        {
            var frequent = new FrequentValues();
            var reference = new ReferenceFrequentValues();
            for (var i = 0; i < 50_000; i++)
            {
                var value = Encoding.UTF8.GetBytes($"v{(int)(alphabet * Math.Pow(random.NextDouble(), 3))}");
                var hash = XxHash3.HashToUInt64(value);
                frequent.Add(hash, value);
                reference.Add(hash, value);
            }

            Assert.Equal(reference.Top(FrequentValues.Capacity), frequent.Top(FrequentValues.Capacity));
        }
    }

    [Fact]
    public void Counting_a_value_again_takes_only_values_with_a_counter_and_only_while_counts_are_exact()
    {
        var frequent = new FrequentValues();
        var (known, unknown) = ("a"u8.ToArray(), "b"u8.ToArray());
        frequent.Add(XxHash3.HashToUInt64(known), known);

        Assert.True(frequent.TryCountAgain(XxHash3.HashToUInt64(known)));
        Assert.False(frequent.TryCountAgain(XxHash3.HashToUInt64(unknown)));
        Assert.Equal([new ValueCount("a", 2)], frequent.Top(ColumnProfiler.TopValueCount));

        frequent.Skip(1); // counts may now be low: the caller must add the value whole
        Assert.False(frequent.TryCountAgain(XxHash3.HashToUInt64(known)));
    }

    /// <summary>Misra–Gries with batched decrements as first written, on a dictionary: what FrequentValues must match.</summary>
    private sealed class ReferenceFrequentValues
    {
        private readonly Dictionary<ulong, (byte[] Value, long Count)> _counters = [];
        private long _maxUndercount;

        public void Add(ulong hash, byte[] utf8)
        {
            if (utf8.Length > FrequentValues.MaxValueBytes)
            {
                return;
            }

            if (_counters.Count == FrequentValues.Capacity && !_counters.ContainsKey(hash))
            {
                var median = _counters.Values.Select(c => c.Count).Order().ElementAt(FrequentValues.Capacity / 2);
                foreach (var key in _counters.Keys.ToList())
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

            ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_counters, hash, out var exists);
            entry = (exists ? entry.Value : utf8, entry.Count + 1);
        }

        public IReadOnlyList<ValueCount> Top(int limit) =>
        [
            .. _counters.Values
                .Where(counter => counter.Count > _maxUndercount)
                .Select(counter => new ValueCount(Encoding.UTF8.GetString(counter.Value), counter.Count))
                .OrderByDescending(top => top.Count)
                .ThenBy(top => top.Value, StringComparer.Ordinal)
                .Take(limit),
        ];
    }
}
