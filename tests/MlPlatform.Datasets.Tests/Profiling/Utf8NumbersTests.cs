using System.Globalization;
using System.Text;
using MlPlatform.Datasets.Profiling;

namespace MlPlatform.Datasets.Tests.Profiling;

/// <summary>
/// The profiler's fast number parsers must give exactly what the framework gives: the same
/// success, the same bits (signed zero included), for every input.
/// </summary>
public sealed class Utf8NumbersTests
{
    private const NumberStyles DecimalStyle = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("+")]
    [InlineData(".")]
    [InlineData("-.")]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("+0")]
    [InlineData("-0.0")]
    [InlineData("-0.000000000000000000")]
    [InlineData("007")]
    [InlineData("-007.50")]
    [InlineData("1.")]
    [InlineData(".5")]
    [InlineData("-.5")]
    [InlineData("1e5")]
    [InlineData("1E+05")]
    [InlineData("1e-400")]
    [InlineData("1e400")]
    [InlineData("7.416225906189635E-07")]
    [InlineData("-6.361187131312299e-6")]
    [InlineData("1e22")]
    [InlineData("1e23")]
    [InlineData("1e-22")]
    [InlineData("1e-23")]
    [InlineData("9007199254740992e-22")]
    [InlineData("9007199254740993e-22")]
    [InlineData("-0e5")]
    [InlineData("0e-500")]
    [InlineData("1E-0005")]
    [InlineData("1.5e")]
    [InlineData("1e+")]
    [InlineData("1e5x")]
    [InlineData("1e5.")]
    [InlineData("e5")]
    [InlineData(".e5")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("NaN")]
    [InlineData("999999999999999999")]
    [InlineData("9223372036854775807")]
    [InlineData("-9223372036854775808")]
    [InlineData("9223372036854775808")]
    [InlineData("-9223372036854775809")]
    [InlineData("99999999999999999999")]
    [InlineData("9007199254740993")]
    [InlineData("900719925474099.3")]
    [InlineData("123456789012345.6")]
    [InlineData("0.30000000000000004")]
    [InlineData("9999999999999999.5")]
    [InlineData("1234567890.123456789")]
    [InlineData("12\0")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("1,000")]
    [InlineData("1.2.3")]
    [InlineData("--1")]
    [InlineData("+-1")]
    [InlineData("0x10")]
    [InlineData("١٢")]
    public void Edge_cases_parse_as_the_framework_parses_them(string text) => AssertSameAsFramework(text);

    [Fact]
    public void Random_numbers_parse_as_the_framework_parses_them()
    {
        var random = new Random(20240501);
        for (var i = 0; i < 200_000; i++)
        {
            AssertSameAsFramework(RandomNumber(random));
        }
    }

    [Fact]
    public void Long_mantissas_round_to_the_nearest_double_as_the_framework_rounds_them()
    {
        // 17 to 19 significant digits (what writing a double round-trip produces), leading zeros that do not count,
        // and decimals that lie exactly halfway between two doubles, where only ties-to-even decides.
        var random = new Random(17);
        for (var i = 0; i < 200_000; i++)
        {
            var mantissa = random.NextInt64(1_000_000_000_000_000_000, long.MaxValue).ToString(CultureInfo.InvariantCulture)[..random.Next(16, 20)];
            var exponent = random.Next(-30, 25);
            AssertSameAsFramework($"{(random.Next(2) == 0 ? "-" : "")}{mantissa}e{exponent}");
            var point = random.Next(0, mantissa.Length);
            AssertSameAsFramework($"0.{new string('0', random.Next(0, 8))}{mantissa}");
            AssertSameAsFramework($"{mantissa[..point]}.{mantissa[point..]}");

            // An odd multiple of 2^-k (k ≤ 3) above 2^53 is a midpoint with at most 19 digits: n / 2^k = n × 5^k / 10^k.
            var odd = (UInt128)(random.NextInt64(1L << 53, 1L << 54) | 1);
            var k = random.Next(1, 4);
            var scaled = (odd * (UInt128)Math.Pow(5, k)).ToString(CultureInfo.InvariantCulture);
            AssertSameAsFramework($"{scaled[..^k]}.{scaled[^k..]}");
            AssertSameAsFramework($"{odd * 2}");
        }
    }

    [Fact]
    public void Numbers_across_the_whole_range_of_doubles_round_as_the_framework_rounds_them()
    {
        // Every binary exponent, written short (round-trip) and long (17 digits, not always the nearest decimal),
        // and digit strings with exponents past both ends, where results turn subnormal, zero or infinite.
        var random = new Random(308);
        for (var i = 0; i < 200_000; i++)
        {
            var number = BitConverter.Int64BitsToDouble(random.NextInt64());
            if (double.IsFinite(number))
            {
                AssertSameAsFramework(number.ToString("R", CultureInfo.InvariantCulture));
                AssertSameAsFramework(number.ToString("E16", CultureInfo.InvariantCulture));
            }

            var digits = random.NextInt64(1_000_000_000_000_000_000, long.MaxValue).ToString(CultureInfo.InvariantCulture)[..random.Next(1, 20)];
            AssertSameAsFramework($"{digits}e{random.Next(-360, 330)}");
        }
    }

    private static void AssertSameAsFramework(string text)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        var integer = long.TryParse(utf8, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var expectedInteger);
        Assert.Equal((integer, expectedInteger), (Utf8Numbers.TryParseInt64(utf8, out var actualInteger), actualInteger));
        var number = double.TryParse(utf8, DecimalStyle, CultureInfo.InvariantCulture, out var expectedNumber);
        var parsed = Utf8Numbers.TryParseDouble(utf8, out var actualNumber);
        Assert.True(
            number == parsed && BitConverter.DoubleToInt64Bits(expectedNumber) == BitConverter.DoubleToInt64Bits(actualNumber),
            $"'{text}': the framework says {number} {expectedNumber:R}, the fast path {parsed} {actualNumber:R}");
    }

    private static string RandomNumber(Random random)
    {
        string Digits(int min, int max) => string.Concat(Enumerable.Range(0, random.Next(min, max)).Select(_ => (char)('0' + random.Next(10))));
        return random.Next(5) switch
        {
            0 => ((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-30, 30))).ToString("R", CultureInfo.InvariantCulture),
            1 => ((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-5, 8))).ToString("F" + random.Next(0, 18), CultureInfo.InvariantCulture),
            2 => random.NextInt64(long.MinValue, long.MaxValue).ToString(CultureInfo.InvariantCulture),
            3 => string.Concat(Enumerable.Range(0, random.Next(1, 22)).Select(_ => "0123456789.-+eE"[random.Next(15)])),
            _ => (random.Next(3) switch { 0 => "-", 1 => "+", _ => "" }) + Digits(0, 21) + (random.Next(2) == 0 ? "" : "." + Digits(0, 21)),
        };
    }
}
