using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using System.Text;

namespace MlPlatform.Datasets.Profiling;

/// <summary>
/// Profiles one column in a single pass. The type is known only after the last value, so every
/// type the column could still be is tracked until a value rules it out. Memory is fixed apart
/// from the longest value seen.
/// </summary>
internal sealed class ColumnProfiler(string name)
{
    public const int TopValueCount = 10;

    // Strings in a profile are for people to read; the longest are cut here.
    private const int MaxReportedChars = 256;

    private readonly HyperLogLog _distinct = new();
    private readonly FrequentValues _frequent = new();
    private readonly TextRange _text = new();
    private long _count;
    private long _nulls;
    private long _uncounted; // values not counted for top values (see AddToTopValues)

    private bool _mayBeInt64 = true;
    private bool _mayBeDouble = true;
    private bool _mayBeBool = true;
    private bool _mayBeTimestamp = true;

    private long _minInt64 = long.MaxValue;
    private long _maxInt64 = long.MinValue;
    private double _minDouble = double.PositiveInfinity;
    private double _maxDouble = double.NegativeInfinity;
    private readonly RunningMoments _numbers = new();
    private long _trueCount;
    private long _minTicks = long.MaxValue;
    private long _maxTicks = long.MinValue;

    public string Name { get; } = name;

    /// <summary>One value as UTF-8; empty means missing.</summary>
    public void Add(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            _nulls++;
            return;
        }

        _count++;
        var hash = XxHash3.HashToUInt64(value);

        // A value that the exact top-values table counts already was seen before: the distinct sketch and the text range
        // hold it, so only its count changes (most values of a column of codes or categories).
        var counted = _uncounted == 0 && _frequent.TryCountAgain(hash);
        if (!counted)
        {
            _distinct.Add(hash);
            _text.Add(value);
        }

        if (_mayBeDouble)
        {
            AddNumber(value);
        }

        if (_mayBeBool)
        {
            AddBool(value);
        }

        if (_mayBeTimestamp)
        {
            AddTimestamp(value);
        }

        if (!counted)
        {
            AddToTopValues(hash, value);
        }
    }

    public ColumnSummary Summarize()
    {
        var type = _count == 0 ? ColumnType.String
            : _mayBeInt64 ? ColumnType.Int64
            : _mayBeDouble ? ColumnType.Double
            : _mayBeBool ? ColumnType.Bool
            : _mayBeTimestamp ? ColumnType.Timestamp
            : ColumnType.String;

        var profile = new ColumnProfile(
            _count,
            _nulls,
            Min: null,
            Max: null,
            Mean: null,
            StdDev: null,
            DistinctEstimate: Math.Min(_distinct.Estimate(), _count),
            TopValues: []);

        profile = type switch
        {
            ColumnType.Int64 => profile with
            {
                Min = _minInt64.ToString(CultureInfo.InvariantCulture),
                Max = _maxInt64.ToString(CultureInfo.InvariantCulture),
                Mean = _numbers.FiniteMean,
                StdDev = _numbers.SampleStdDev,
            },
            ColumnType.Double when _numbers.Count > 0 => profile with
            {
                Min = _minDouble.ToString("R", CultureInfo.InvariantCulture),
                Max = _maxDouble.ToString("R", CultureInfo.InvariantCulture),
                Mean = _numbers.FiniteMean,
                StdDev = _numbers.SampleStdDev,
            },
            ColumnType.Bool => profile with
            {
                Min = _trueCount == _count ? "true" : "false",
                Max = _trueCount > 0 ? "true" : "false",
                Mean = (double)_trueCount / _count,
                StdDev = BernoulliStdDev(),
            },
            ColumnType.Timestamp => profile with { Min = Iso8601.Format(_minTicks), Max = Iso8601.Format(_maxTicks) },
            ColumnType.String when _count > 0 => profile with
            {
                Min = _text.Min,
                Max = _text.Max,
                TopValues = _frequent.Top(TopValueCount),
            },
            _ => profile,
        };

        return new ColumnSummary(Name, type, Nullable: _nulls > 0, profile);
    }

    /// <summary>
    /// Top values are reported for text columns only, and counting them is among the dearest steps
    /// for columns of many distinct values. So a column that may still be a number, bool or
    /// timestamp stops counting once it has more distinct values than the table holds; should it
    /// turn out to be text after all, the values it passed over widen the table's error bound
    /// (<see cref="FrequentValues.Skip"/>): a top value's count is never overstated, and a column of
    /// few distinct values, such as codes with one stray word, keeps exact counts.
    /// </summary>
    private void AddToTopValues(ulong hash, ReadOnlySpan<byte> value)
    {
        var mayBeTyped = _mayBeDouble || _mayBeBool || _mayBeTimestamp;
        if (_uncounted > 0 || (mayBeTyped && !_frequent.IsExact))
        {
            if (mayBeTyped)
            {
                _uncounted++;
                return;
            }

            _frequent.Skip(_uncounted);
            _uncounted = 0;
        }

        _frequent.Add(hash, value);
    }

    private void AddNumber(ReadOnlySpan<byte> value)
    {
        if (_mayBeInt64 && Utf8Numbers.TryParseInt64(value, out var integer))
        {
            _minInt64 = Math.Min(_minInt64, integer);
            _maxInt64 = Math.Max(_maxInt64, integer);
            AddFinite(integer);
            return;
        }

        _mayBeInt64 = false;
        if (Utf8Numbers.TryParseDouble(value, out var number))
        {
            // NaN and infinities are doubles, but they would swamp every statistic.
            if (double.IsFinite(number))
            {
                AddFinite(number);
            }

            return;
        }

        _mayBeDouble = false;
    }

    private void AddFinite(double number)
    {
        _minDouble = Math.Min(_minDouble, number);
        _maxDouble = Math.Max(_maxDouble, number);
        _numbers.Add(number);
    }

    private void AddBool(ReadOnlySpan<byte> value)
    {
        if (Ascii.EqualsIgnoreCase(value, "true"u8))
        {
            _trueCount++;
        }
        else if (!Ascii.EqualsIgnoreCase(value, "false"u8))
        {
            _mayBeBool = false;
        }
    }

    private void AddTimestamp(ReadOnlySpan<byte> value)
    {
        if (Iso8601.TryParse(value, out var ticks))
        {
            _minTicks = Math.Min(_minTicks, ticks);
            _maxTicks = Math.Max(_maxTicks, ticks);
        }
        else
        {
            _mayBeTimestamp = false;
        }
    }

    private double? BernoulliStdDev()
    {
        if (_count < 2)
        {
            return null;
        }

        var p = (double)_trueCount / _count;
        return Math.Sqrt(p * (1 - p) * _count / (_count - 1));
    }

    /// <summary>Smallest and largest value in code-point order, kept in reused buffers.</summary>
    /// <remarks>
    /// Each value is first compared by its first 8 bytes as one big-endian number (zero-padded):
    /// where those differ they order the values as the bytes do, and most values are settled there.
    /// </remarks>
    private sealed class TextRange
    {
        private byte[] _min = [];
        private int _minLength = -1;
        private ulong _minPrefix;
        private byte[] _max = [];
        private int _maxLength = -1;
        private ulong _maxPrefix;

        public string Min => Reported(_min.AsSpan(0, _minLength));

        public string Max => Reported(_max.AsSpan(0, _maxLength));

        public void Add(ReadOnlySpan<byte> value)
        {
            // UTF-8 byte order is code-point order.
            var prefix = Prefix(value);
            if (_minLength < 0)
            {
                (_minLength, _minPrefix) = (Copy(value, ref _min), prefix);
                (_maxLength, _maxPrefix) = (Copy(value, ref _max), prefix);
            }
            else if (prefix < _minPrefix || (prefix == _minPrefix && value.SequenceCompareTo(_min.AsSpan(0, _minLength)) < 0))
            {
                (_minLength, _minPrefix) = (Copy(value, ref _min), prefix); // below the smallest, so not above the largest
            }
            else if (prefix > _maxPrefix || (prefix == _maxPrefix && value.SequenceCompareTo(_max.AsSpan(0, _maxLength)) > 0))
            {
                (_maxLength, _maxPrefix) = (Copy(value, ref _max), prefix);
            }
        }

        /// <summary>
        /// The first 8 bytes, big-endian, zero-padded. Padding sorts a value before its extensions,
        /// so different prefixes order values correctly; equal ones leave it to the whole bytes.
        /// </summary>
        /// <remarks>Shorter values are read as two overlapping halves, each already in place, so no loop runs per byte.</remarks>
        private static ulong Prefix(ReadOnlySpan<byte> value)
        {
            var length = value.Length;
            var padding = 8 * (sizeof(ulong) - length); // bits the shorter value leaves zero at the end
            return length switch
            {
                >= 8 => BinaryPrimitives.ReadUInt64BigEndian(value),
                >= 4 => ((ulong)BinaryPrimitives.ReadUInt32BigEndian(value) << 32)
                    | ((ulong)BinaryPrimitives.ReadUInt32BigEndian(value[(length - 4)..]) << padding),
                >= 2 => ((ulong)BinaryPrimitives.ReadUInt16BigEndian(value) << 48)
                    | ((ulong)BinaryPrimitives.ReadUInt16BigEndian(value[(length - 2)..]) << padding),
                1 => (ulong)value[0] << 56,
                _ => 0,
            };
        }

        private static int Copy(ReadOnlySpan<byte> value, ref byte[] buffer)
        {
            if (buffer.Length < value.Length)
            {
                buffer = new byte[Math.Max(value.Length, 2 * buffer.Length)];
            }

            value.CopyTo(buffer);
            return value.Length;
        }

        private static string Reported(ReadOnlySpan<byte> utf8)
        {
            var text = Encoding.UTF8.GetString(utf8);
            if (text.Length <= MaxReportedChars)
            {
                return text;
            }

            // Never cut a surrogate pair in half.
            var cut = char.IsHighSurrogate(text[MaxReportedChars - 1]) ? MaxReportedChars - 1 : MaxReportedChars;
            return text[..cut];
        }
    }
}
