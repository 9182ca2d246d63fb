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

    // Up to 19 digits (a ulong's worth) the decimal is handed to Utf8Parser.
    private const int MaxUtf8ParserDigits = 19;

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
    /// whose digits form an integer of at most 2^53 and whose power of ten is at most 22 take
    /// Clinger's fast path: both are exact doubles, and one IEEE multiplication or division rounds
    /// their product or quotient correctly, which is the value the framework returns (it takes the
    /// same path after its general parsing). Other digit strings of up to 19 digits (what
    /// round-tripping a double writes), go to <see cref="Utf8Parser"/>: the
    /// framework's correctly rounded conversion without its culture handling. Zero keeps its sign
    /// (-0.0), as in the framework; Utf8Parser is never given a zero.
    /// </remarks>
    public static bool TryParseDouble(ReadOnlySpan<byte> text, out double value)
    {
        var start = text.Length > 0 && text[0] is (byte)'-' or (byte)'+' ? 1 : 0;
        ulong mantissa = 0;
        var digits = 0;
        var fractionDigits = -1; // digits after the point, once there is one
        var i = start;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            var digit = (uint)(c - '0');
            if (digit <= 9)
            {
                if (++digits > MaxUtf8ParserDigits)
                {
                    break;
                }

                mantissa = (mantissa * 10) + digit;
                if (fractionDigits >= 0)
                {
                    fractionDigits++;
                }
            }
            else if (c == '.' && fractionDigits < 0)
            {
                fractionDigits = 0;
            }
            else
            {
                break;
            }
        }

        if (digits is > 0 and <= MaxUtf8ParserDigits)
        {
            var exponent = -Math.Max(fractionDigits, 0);
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

                if (mantissa != 0 && Utf8Parser.TryParse(text, out value, out var consumed) && consumed == text.Length)
                {
                    return true;
                }
            }
        }

        return double.TryParse(text, DecimalStyle, CultureInfo.InvariantCulture, out value);
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
