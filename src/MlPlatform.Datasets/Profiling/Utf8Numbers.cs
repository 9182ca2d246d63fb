using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;

namespace MlPlatform.Datasets.Profiling;

/// <summary>
/// <c>long.TryParse</c> and <c>double.TryParse</c> (invariant culture) with fast paths for what data
/// files are mostly made of — plain integers and plain decimals — that skip the framework's
/// general-purpose number parser (styles, culture strings, digit buffers), which cost a profiled
/// upload more than most other steps. Whatever a fast path does not take (signs only, exponents,
/// long digit strings, anything unusual) goes to the framework, so every result is the framework's.
/// </summary>
internal static class Utf8Numbers
{
    // Integers and decimals as written in data files: optional sign, no whitespace or thousands separators.
    public const NumberStyles IntegerStyle = NumberStyles.AllowLeadingSign;
    public const NumberStyles DecimalStyle = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    // 18 digits always fit in a long.
    private const int MaxFastIntegerDigits = 18;

    // Integers up to 2^53 and powers of ten up to 10^22 are exact doubles.
    private const ulong MaxExactMantissa = 1UL << 53;
    private const int MaxExactPowerOfTen = 22;

    // Up to 19 significant digits (a ulong's worth) the decimal is rounded here.
    private const int MaxSignificantDigits = 19;

    // Powers of ten whose products with a 19-digit mantissa can still be a finite, nonzero double.
    private const int MinPowerOfTen = -342;
    private const int MaxPowerOfTen = 308;

    private static ReadOnlySpan<double> ExactPowersOfTen =>
        [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

    private static readonly (ulong High, ulong Low)[] s_powersOfTen = TruncatedPowersOfTen();

    /// <summary>Exactly <c>long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value)</c>.</summary>
    public static bool TryParseInt64(ReadOnlySpan<byte> text, out long value)
    {
        var start = text.Length > 0 && text[0] is (byte)'-' or (byte)'+' ? 1 : 0;
        var digits = text.Length - start;
        if (digits is > 0 and <= MaxFastIntegerDigits)
        {
            long magnitude = 0;
            var i = start;
            for (; i < text.Length; i++)
            {
                var digit = (uint)(text[i] - '0');
                if (digit > 9)
                {
                    break;
                }

                magnitude = (magnitude * 10) + digit;
            }

            if (i == text.Length)
            {
                value = start == 1 && text[0] == '-' ? -magnitude : magnitude;
                return true;
            }
        }

        return long.TryParse(text, IntegerStyle, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>
    /// Exactly <c>double.TryParse(text, AllowLeadingSign | AllowDecimalPoint | AllowExponent, CultureInfo.InvariantCulture, out value)</c>.
    /// </summary>
    /// <remarks>
    /// Plain decimals with an optional exponent — <c>[+-]digits[.digits][(e|E)[+-]digits]</c> — of up
    /// to 19 significant digits (leading zeros do not count) are rounded here; anything else goes to
    /// the framework. Where the digits form an integer of at most 2^53 and the power of ten is at most
    /// 22, both are exact doubles and one IEEE multiplication or division rounds correctly (Clinger's
    /// fast path, most decimals in data files); the rest is rounded by <see cref="TryRoundEiselLemire"/>,
    /// which declines the rare products it cannot settle, exact ties among them. Zero keeps its sign
    /// (-0.0), as in the framework.
    /// </remarks>
    public static bool TryParseDouble(ReadOnlySpan<byte> text, out double value)
    {
        var start = text.Length > 0 && text[0] is (byte)'-' or (byte)'+' ? 1 : 0;
        var negative = start == 1 && text[0] == '-';
        ulong mantissa = 0;
        var significantDigits = 0;
        var i = start;
        var digits = ReadDigits(text, ref i, ref mantissa, ref significantDigits);
        var fractionDigits = 0;
        if (i < text.Length && text[i] == '.')
        {
            i++;
            fractionDigits = ReadDigits(text, ref i, ref mantissa, ref significantDigits);
            digits += fractionDigits;
        }

        if (digits > 0)
        {
            var exponent = -fractionDigits;
            if (i < text.Length && text[i] is (byte)'e' or (byte)'E' && TryParseExponent(text[(i + 1)..], out var written))
            {
                exponent += written;
                i = text.Length;
            }

            if (i == text.Length)
            {
                if (mantissa <= MaxExactMantissa && exponent is >= -MaxExactPowerOfTen and <= MaxExactPowerOfTen)
                {
                    var magnitude = exponent >= 0 ? mantissa * ExactPowersOfTen[exponent] : mantissa / ExactPowersOfTen[-exponent];
                    value = negative ? -magnitude : magnitude;
                    return true;
                }

                if (mantissa == 0)
                {
                    value = negative ? -0.0 : 0.0;
                    return true;
                }

                if (TryRoundEiselLemire(mantissa, exponent, negative, out value))
                {
                    return true;
                }
            }
        }

        return double.TryParse(text, DecimalStyle, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>
    /// Reads the digits at <paramref name="i"/> into <paramref name="mantissa"/>, eight at a time
    /// where it can, and returns how many there were. Zeros before the first significant digit
    /// are skipped; at <see cref="MaxSignificantDigits"/> significant digits it stops, leaving
    /// <paramref name="i"/> on a digit, which sends the text to the framework.
    /// </summary>
    private static int ReadDigits(ReadOnlySpan<byte> text, ref int i, ref ulong mantissa, ref int significantDigits)
    {
        var first = i;
        if (mantissa == 0)
        {
            while (i < text.Length && text[i] == '0')
            {
                i++;
            }
        }

        while (text.Length - i >= 8 && significantDigits <= MaxSignificantDigits - 8
               && BinaryPrimitives.ReadUInt64LittleEndian(text[i..]) is var eight && AreEightDigits(eight))
        {
            mantissa = (mantissa * 100_000_000) + ParseEightDigits(eight);
            significantDigits += 8;
            i += 8;
        }

        while (i < text.Length && (uint)(text[i] - '0') is var digit && digit <= 9 && significantDigits < MaxSignificantDigits)
        {
            mantissa = (mantissa * 10) + digit;
            significantDigits++;
            i++;
        }

        return i - first;
    }

    /// <summary>Whether all eight bytes (read little-endian) are ASCII digits: no byte carries past '9' or borrows below '0'.</summary>
    private static bool AreEightDigits(ulong eight) =>
        (((eight + 0x4646_4646_4646_4646) | (eight - 0x3030_3030_3030_3030)) & 0x8080_8080_8080_8080) == 0;

    /// <summary>The number eight ASCII digits write, first digit in the lowest byte: pairs, then fours, then all eight.</summary>
    private static ulong ParseEightDigits(ulong eight)
    {
        eight -= 0x3030_3030_3030_3030;
        eight = (eight * 10) + (eight >> 8);
        return (((eight & 0x0000_00FF_0000_00FF) * 0x000F_4240_0000_0064) + (((eight >> 16) & 0x0000_00FF_0000_00FF) * 0x0000_2710_0000_0001)) >> 32;
    }

    /// <summary>
    /// The double nearest to <c>mantissa × 10^exponent</c> (ties to even), by Eisel and Lemire's
    /// method (Lemire, "Number Parsing at a Gigabyte per Second", 2021): the mantissa times a
    /// 128-bit truncation of the power of ten. Where the truncation could decide the rounding —
    /// rare, and always detected — it declines, as it does for results outside the normal doubles.
    /// </summary>
    private static bool TryRoundEiselLemire(ulong mantissa, int exponent, bool negative, out double value)
    {
        value = 0;
        if (exponent is < MinPowerOfTen or > MaxPowerOfTen)
        {
            return false;
        }

        var leadingZeros = BitOperations.LeadingZeroCount(mantissa);
        var normalized = mantissa << leadingZeros;
        var power = s_powersOfTen[exponent - MinPowerOfTen];

        // The biased binary exponent: floor(exponent × log2 10) in 16-bit fixed point (exact over the table's range),
        // one too high until the product's top bit says otherwise.
        var biasedExponent = (ulong)(((217706 * exponent) >> 16) + 64 + 1023) - (ulong)leadingZeros;
        var high = Math.BigMul(normalized, power.High, out var low);
        if ((high & 0x1FF) == 0x1FF && low + normalized < normalized)
        {
            // The power's low 64 bits could carry into the bits that round: take them too.
            var lowHigh = Math.BigMul(normalized, power.Low, out var lowLow);
            var mergedLow = low + lowHigh;
            var mergedHigh = mergedLow < low ? high + 1 : high;
            if ((mergedHigh & 0x1FF) == 0x1FF && mergedLow == ulong.MaxValue && lowLow + normalized < normalized)
            {
                return false;
            }

            (high, low) = (mergedHigh, mergedLow);
        }

        var topBit = high >> 63;
        var significand = high >> (int)(topBit + 9); // 54 bits: the double's 53 and one to round by
        biasedExponent -= 1 ^ topBit;
        if (low == 0 && (high & 0x1FF) == 0 && (significand & 3) == 1)
        {
            return false; // halfway, as far as the truncated product can tell
        }

        significand = (significand + (significand & 1)) >> 1;
        if (significand >> 53 > 0)
        {
            significand >>= 1;
            biasedExponent++;
        }

        if (biasedExponent - 1 >= 0x7FF - 1)
        {
            return false; // subnormal, zero or infinite
        }

        value = BitConverter.UInt64BitsToDouble((biasedExponent << 52) | (significand & ((1UL << 52) - 1)) | (negative ? 1UL << 63 : 0));
        return true;
    }

    /// <summary>10^e for <see cref="MinPowerOfTen"/> ≤ e ≤ <see cref="MaxPowerOfTen"/>, each as 128 bits with the top one set, rounded down.</summary>
    private static (ulong High, ulong Low)[] TruncatedPowersOfTen()
    {
        var table = new (ulong High, ulong Low)[MaxPowerOfTen - MinPowerOfTen + 1];
        for (var e = MinPowerOfTen; e <= MaxPowerOfTen; e++)
        {
            BigInteger significand;
            if (e >= 0)
            {
                var power = BigInteger.Pow(10, e);
                var length = (int)power.GetBitLength();
                significand = length > 128 ? power >> (length - 128) : power << (128 - length);
            }
            else
            {
                var divisor = BigInteger.Pow(10, -e);
                significand = (BigInteger.One << (127 + (int)divisor.GetBitLength())) / divisor;
            }

            table[e - MinPowerOfTen] = ((ulong)(significand >> 64), (ulong)(significand & ulong.MaxValue));
        }

        return table;
    }

    /// <summary>An exponent of one to three digits after the <c>e</c>; anything else is left to the framework.</summary>
    private static bool TryParseExponent(ReadOnlySpan<byte> text, out int exponent)
    {
        exponent = 0;
        var start = text.Length > 0 && text[0] is (byte)'-' or (byte)'+' ? 1 : 0;
        if (text.Length - start is < 1 or > 3)
        {
            return false;
        }

        for (var i = start; i < text.Length; i++)
        {
            var digit = (uint)(text[i] - '0');
            if (digit > 9)
            {
                return false;
            }

            exponent = (exponent * 10) + (int)digit;
        }

        exponent = start == 1 && text[0] == '-' ? -exponent : exponent;
        return true;
    }
}
