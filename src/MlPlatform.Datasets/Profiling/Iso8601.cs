namespace MlPlatform.Datasets.Profiling;

/// <summary>
/// Parses ISO 8601 dates and date-times straight from UTF-8: <c>2024-05-01</c>,
/// <c>2024-05-01T13:45</c>, <c>2024-05-01 13:45:30.123456789</c>, each with an optional <c>Z</c>
/// or <c>±hh:mm</c> (no offset means UTC). Hand-written because it runs for every value of every
/// column that still looks like a timestamp, and the framework's format-driven parsers cost
/// about a microsecond a value.
/// </summary>
internal static class Iso8601
{
    public static bool TryParse(ReadOnlySpan<byte> text, out long utcTicks)
    {
        utcTicks = 0;
        if (text.Length < 10 || text[4] != '-' || text[7] != '-'
            || !TryDigits(text[..4], out var year) || !TryDigits(text[5..7], out var month) || !TryDigits(text[8..10], out var day)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DaysInMonth(year, month))
        {
            return false;
        }

        var ticks = DaysSinceEpoch(year, month, day) * TimeSpan.TicksPerDay;
        var rest = text[10..];
        if (rest.IsEmpty)
        {
            utcTicks = ticks;
            return true;
        }

        if (rest.Length < 6 || rest[0] is not ((byte)'T' or (byte)' ') || rest[3] != ':'
            || !TryDigits(rest[1..3], out var hour) || !TryDigits(rest[4..6], out var minute) || hour > 23 || minute > 59)
        {
            return false;
        }

        ticks += hour * TimeSpan.TicksPerHour + minute * TimeSpan.TicksPerMinute;
        rest = rest[6..];
        if (rest.Length >= 3 && rest[0] == ':')
        {
            if (!TryDigits(rest[1..3], out var second) || second > 59)
            {
                return false;
            }

            ticks += second * TimeSpan.TicksPerSecond;
            rest = rest[3..];
            if (rest.Length >= 2 && rest[0] == '.')
            {
                var digits = 1;
                while (digits < rest.Length && char.IsAsciiDigit((char)rest[digits]))
                {
                    digits++;
                }

                // Ticks are 100 ns: seven digits count, finer ones are dropped.
                var fraction = rest[1..digits];
                if (fraction.IsEmpty || !TryDigits(fraction[..Math.Min(fraction.Length, 7)], out var units))
                {
                    return false;
                }

                ticks += units * TicksPerFractionDigits[Math.Min(fraction.Length, 7)];
                rest = rest[digits..];
            }
        }

        if (!TryOffset(rest, out var offsetTicks))
        {
            return false;
        }

        utcTicks = ticks - offsetTicks;
        return utcTicks is >= 0 and <= 3155378975999999999; // DateTime.MaxValue.Ticks
    }

    // Days before the first of each month in a common year.
    private static ReadOnlySpan<int> DaysBeforeMonth => [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];

    // Ticks per unit of a fraction with 1 to 7 digits.
    private static ReadOnlySpan<long> TicksPerFractionDigits => [0, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1];

    public static string Format(long utcTicks) =>
        new DateTime(utcTicks, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'");

    // DateTime's own arithmetic, without the argument checks and exceptions of its constructor.
    private static bool IsLeapYear(int year) => (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);

    private static int DaysInMonth(int year, int month) =>
        DaysBeforeMonth[month] - DaysBeforeMonth[month - 1] + (month == 2 && IsLeapYear(year) ? 1 : 0);

    /// <summary>Days from 0001-01-01 (DateTime's zero) to the date.</summary>
    private static long DaysSinceEpoch(int year, int month, int day)
    {
        var before = year - 1;
        return (before * 365L) + (before / 4) - (before / 100) + (before / 400)
            + DaysBeforeMonth[month - 1] + (month > 2 && IsLeapYear(year) ? 1 : 0) + day - 1;
    }

    private static bool TryOffset(ReadOnlySpan<byte> text, out long ticks)
    {
        ticks = 0;
        if (text.IsEmpty || text is [(byte)'Z'] or [(byte)'z'])
        {
            return true;
        }

        if (text.Length != 6 || text[0] is not ((byte)'+' or (byte)'-') || text[3] != ':'
            || !TryDigits(text[1..3], out var hours) || !TryDigits(text[4..6], out var minutes) || hours > 14 || minutes > 59)
        {
            return false;
        }

        ticks = (text[0] == '-' ? -1 : 1) * (hours * TimeSpan.TicksPerHour + minutes * TimeSpan.TicksPerMinute);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<byte> text, out int value)
    {
        value = 0;
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit((char)c))
            {
                return false;
            }

            value = value * 10 + (c - '0');
        }

        return true;
    }
}
