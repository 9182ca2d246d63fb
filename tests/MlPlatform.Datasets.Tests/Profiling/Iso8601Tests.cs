using System.Globalization;
using System.Text;
using MlPlatform.Datasets.Profiling;

namespace MlPlatform.Datasets.Tests.Profiling;

public sealed class Iso8601Tests
{
    [Fact]
    public void Dates_are_valid_and_counted_exactly_as_the_framework_counts_them()
    {
        var random = new Random(1601);
        for (var i = 0; i < 100_000; i++)
        {
            // Years near the turns of centuries and leap days are where calendars go wrong.
            var year = random.Next(3) == 0 ? (random.Next(1, 100) * 100) + random.Next(-1, 2) : random.Next(1, 10_000);
            var text = $"{Math.Clamp(year, 1, 9999):D4}-{random.Next(0, 14):D2}-{random.Next(0, 33):D2}";

            var valid = DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var expected);

            Assert.Equal((valid, valid ? expected.Ticks : 0), (Iso8601.TryParse(Encoding.ASCII.GetBytes(text), out var ticks), ticks));
        }
    }

    [Fact]
    public void Times_of_day_are_valid_and_counted_exactly_as_the_framework_counts_them()
    {
        // Hours, minutes and seconds just past their ranges, with and without seconds and fractions,
        // and a separator now and then replaced: the date-time is valid only where the framework says so.
        var random = new Random(2359);
        for (var i = 0; i < 100_000; i++)
        {
            var (hour, minute, second) = (random.Next(0, 26), random.Next(0, 62), random.Next(0, 62));
            var seconds = random.Next(4) != 0;
            var fraction = seconds && random.Next(3) == 0 ? "." + random.Next(0, 10_000_000).ToString("D7", CultureInfo.InvariantCulture) : "";
            var text = $"2024-06-{random.Next(1, 31):D2}{"T "[random.Next(2)]}{hour:D2}:{minute:D2}{(seconds ? $":{second:D2}" : "")}{fraction}";
            if (random.Next(8) == 0)
            {
                var at = random.Next(text.Length);
                text = text[..at] + ":-.T0x"[random.Next(6)] + text[(at + 1)..];
            }

            var format = "yyyy-MM-dd" + (text.Length > 10 && text[10] == ' ' ? "' '" : "'T'") + (seconds ? "HH:mm:ss" : "HH:mm") + (fraction.Length > 0 ? ".fffffff" : "");
            var valid = DateTime.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var expected);

            Assert.True(
                (valid, valid ? expected.Ticks : 0) == (Iso8601.TryParse(Encoding.ASCII.GetBytes(text), out var ticks), valid ? ticks : 0),
                $"'{text}': the framework says {valid} {expected:O}, the parser {Iso8601.TryParse(Encoding.ASCII.GetBytes(text), out _)} {ticks}");
        }
    }

    [Theory]
    [InlineData("2024-02-29T23:59:59.9999999Z", "2024-02-29T23:59:59.9999999Z")]
    [InlineData("2024-03-01T01:30+02:00", "2024-02-29T23:30:00Z")]
    [InlineData("2024-03-01T01:30:00.5-05:30", "2024-03-01T07:00:00.5Z")]
    [InlineData("9999-12-31T23:59:59Z", "9999-12-31T23:59:59Z")]
    [InlineData("0001-01-01", "0001-01-01T00:00:00Z")]
    public void Date_times_with_offsets_are_converted_to_utc(string text, string utc)
    {
        Assert.True(Iso8601.TryParse(Encoding.ASCII.GetBytes(text), out var ticks));
        Assert.Equal(utc, Iso8601.Format(ticks));
    }
}
