using System.Buffers.Binary;
using System.Buffers.Text;
using System.Globalization;

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

    // Longer mantissas are rounded exactly for powers of ten down to 10^-27 (5^27 still fits a ulong).
    private const int MaxCheckedPowerOfTen = 27;
    private const int MaxRoundingSteps = 4;

    // Up to 19 significant digits (a ulong's worth) the decimal is parsed here or by Utf8Parser.
    private const int MaxUtf8ParserDigits = 19;

    private static ReadOnlySpan<ulong> PowersOfFive =>
    [
        1, 5, 25, 125, 625, 3125, 15625, 78125, 390625, 1953125, 9765625, 48828125, 244140625, 1220703125, 6103515625,
        30517578125, 152587890625, 762939453125, 3814697265625, 19073486328125, 95367431640625, 476837158203125,
        2384185791015625, 11920928955078125, 59604644775390625, 298023223876953125, 1490116119384765625, 7450580596923828125,
    ];

    private static ReadOnlySpan<double> PowersOfTen =>
        [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

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
    /// Plain decimals with an optional exponent — <c>[+-]digits[.digits][(e|E)[+-]digits]</c> —
    /// whose significant digits (leading zeros do not count) form an integer of at most 2^53 and
    /// whose power of ten is at most 22 take Clinger's fast path: both are exact doubles, and one
    /// IEEE multiplication or division rounds their product or quotient correctly, which is the
    /// value the framework returns (it takes the same path after its general parsing). Up to 19
    /// significant digits — what writing a double round-trip produces — and powers of ten from
    /// 10^-27 to 10^22 are rounded exactly here (<see cref="TryRoundExactly"/>); other
    /// digit strings of up to 19 digits go to <see cref="Utf8Parser"/>: the framework's correctly
    /// rounded conversion without its culture handling. Zero keeps its sign (-0.0), as in the
    /// framework; Utf8Parser is never given a zero.
    /// </remarks>
    public static bool TryParseDouble(ReadOnlySpan<byte> text, out double value)
    {
        var start = text.Length > 0 && text[0] is (byte)'-' or (byte)'+' ? 1 : 0;
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

        if (digits > 0 && significantDigits <= MaxUtf8ParserDigits)
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
                    var magnitude = exponent >= 0 ? mantissa * PowersOfTen[exponent] : mantissa / PowersOfTen[-exponent];
                    value = start == 1 && text[0] == '-' ? -magnitude : magnitude;
                    return true;
                }

                if (mantissa > MaxExactMantissa && exponent is >= -MaxCheckedPowerOfTen and <= MaxExactPowerOfTen
                    && TryRoundExactly(mantissa, exponent, out var rounded))
                {
                    value = start == 1 && text[0] == '-' ? -rounded : rounded;
                    return true;
                }

                if (mantissa != 0 && Utf8Parser.TryParse(text, out value, out var consumed) && consumed == text.Length)
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
    /// are skipped; at <see cref="MaxUtf8ParserDigits"/> significant digits it stops, leaving
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

        while (text.Length - i >= 8 && significantDigits <= MaxUtf8ParserDigits - 8
               && BinaryPrimitives.ReadUInt64LittleEndian(text[i..]) is var eight && AreEightDigits(eight))
        {
            mantissa = (mantissa * 100_000_000) + ParseEightDigits(eight);
            significantDigits += 8;
            i += 8;
        }

        while (i < text.Length && (uint)(text[i] - '0') is var digit && digit <= 9 && significantDigits < MaxUtf8ParserDigits)
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
    /// The double nearest to <c>mantissa × 10^exponent</c> (ties to even) for mantissas above 2^53 —
    /// the 17-digit numbers that writing a double round-trip produces. A quick estimate is off by at
    /// most a few units in the last place; it is then moved until the decimal lies between the
    /// midpoints to its neighbours, each comparison done exactly in 128-bit integers.
    /// </summary>
    private static bool TryRoundExactly(ulong mantissa, int exponent, out double value)
    {
        value = exponent >= 0 ? mantissa * PowersOfTen[exponent]
            : exponent >= -MaxExactPowerOfTen ? mantissa / PowersOfTen[-exponent]
            : mantissa / PowersOfTen[MaxExactPowerOfTen] / PowersOfTen[-exponent - MaxExactPowerOfTen];

        // The decimal is scaledMantissa × 2^exponent: 10^e = 5^e × 2^e, and a negative power of five moves to the other side.
        var five = (UInt128)PowersOfFive[Math.Abs(exponent)];
        var decimalValue = exponent >= 0 ? mantissa * five : mantissa;
        var decimalDivisor = exponent >= 0 ? UInt128.One : five;
        for (var step = 0; step < MaxRoundingSteps; step++)
        {
            var bits = BitConverter.DoubleToUInt64Bits(value);
            if (!double.IsNormal(value) || !double.IsNormal(BitConverter.UInt64BitsToDouble(bits + 1)))
            {
                return false;
            }

            var above = CompareToMidpoint(decimalValue, decimalDivisor, exponent, bits, bits + 1);
            if (above > 0 || (above == 0 && (bits & 1) == 1))
            {
                value = BitConverter.UInt64BitsToDouble(bits + 1);
                continue;
            }

            var below = CompareToMidpoint(decimalValue, decimalDivisor, exponent, bits - 1, bits);
            if (below < 0 || (below == 0 && (bits & 1) == 1))
            {
                value = BitConverter.UInt64BitsToDouble(bits - 1);
                continue;
            }

            return true;
        }

        return false;
    }

    /// <summary>
    /// The sign of <c>value / divisor × 2^exponent − (a + b) / 2</c> for the adjacent positive
    /// doubles <paramref name="lower"/> and <paramref name="upper"/> (as bits).
    /// </summary>
    private static int CompareToMidpoint(UInt128 value, UInt128 divisor, int exponent, ulong lower, ulong upper)
    {
        var (lowerSignificand, lowerExponent) = Decompose(lower);
        var (upperSignificand, upperExponent) = Decompose(upper);
        var common = Math.Min(lowerExponent, upperExponent);
        var midpoint = ((UInt128)lowerSignificand << (lowerExponent - common)) + ((UInt128)upperSignificand << (upperExponent - common));

        // value × 2^exponent ÷ divisor against midpoint × 2^(common − 1): both sides times divisor.
        return CompareScaled(value, exponent, midpoint * divisor, common - 1);
    }

    private static (ulong Significand, int Exponent) Decompose(ulong bits) =>
        ((bits & ((1UL << 52) - 1)) | (1UL << 52), (int)(bits >> 52) - 1075);

    /// <summary>The sign of <c>x × 2^xExponent − y × 2^yExponent</c>.</summary>
    private static int CompareScaled(UInt128 x, int xExponent, UInt128 y, int yExponent)
    {
        if (xExponent < yExponent)
        {
            return -CompareScaled(y, yExponent, x, xExponent);
        }

        // x × 2^shift against y: compare x with y's quotient by 2^shift, then the remainder decides a tie.
        var shift = xExponent - yExponent;
        var quotient = shift >= 128 ? UInt128.Zero : y >> shift;
        if (x != quotient)
        {
            return x > quotient ? 1 : -1;
        }

        return shift >= 128 ? (y == 0 ? 0 : -1) : (quotient << shift) == y ? 0 : -1;
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
