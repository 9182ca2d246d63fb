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
        if (text.Length < 10)
        {
            return false;
        }

        // Every digit at its fixed place is read first and checked once, with no branch per digit.
        uint y0 = Digit(text[0]), y1 = Digit(text[1]), y2 = Digit(text[2]), y3 = Digit(text[3]);
        uint m0 = Digit(text[5]), m1 = Digit(text[6]), d0 = Digit(text[8]), d1 = Digit(text[9]);
        var year = (int)((y0 * 1000) + (y1 * 100) + (y2 * 10) + y3);
        var month = (int)((m0 * 10) + m1);
        var day = (int)((d0 * 10) + d1);
        if (!AreDigits(y0, y1, y2, y3) || !AreDigits(m0, m1, d0, d1) || text[4] != '-' || text[7] != '-'
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

        if (rest.Length < 6)
        {
            return false;
        }

        uint h0 = Digit(rest[1]), h1 = Digit(rest[2]), n0 = Digit(rest[4]), n1 = Digit(rest[5]);
        var hour = (h0 * 10) + h1;
        var minute = (n0 * 10) + n1;
        if (!AreDigits(h0, h1, n0, n1) || rest[0] is not ((byte)'T' or (byte)' ') || rest[3] != ':' || hour > 23 || minute > 59)
        {
            return false;
        }

        ticks += (hour * TimeSpan.TicksPerHour) + (minute * TimeSpan.TicksPerMinute);
        rest = rest[6..];
        if (rest.Length >= 3 && rest[0] == ':')
        {
            uint s0 = Digit(rest[1]), s1 = Digit(rest[2]);
            var second = (s0 * 10) + s1;
            if (!AreDigits(s0, s1, 0, 0) || second > 59)
            {
                return false;
            }

            ticks += second * TimeSpan.TicksPerSecond;
            rest = rest[3..];
            if (rest.Length >= 2 && rest[0] == '.')
            {
                // Ticks are 100 ns: seven digits count, finer ones are dropped.
                var (end, units) = (1, 0L);
                for (; end < rest.Length && Digit(rest[end]) is var digit && digit <= 9; end++)
                {
                    units = end <= 7 ? (units * 10) + digit : units;
                }

                if (end == 1)
                {
                    return false;
                }

                ticks += units * TicksPerFractionDigits[Math.Min(end - 1, 7)];
                rest = rest[end..];
            }
        }

        if (!TryOffset(rest, out var offsetTicks))
        {
            return false;
        }

        utcTicks = ticks - offsetTicks;
        return utcTicks is >= 0 and <= 3155378975999999999; // DateTime.MaxValue.Ticks
    }

    private static uint Digit(byte c) => (uint)(c - '0');

    private static bool AreDigits(uint a, uint b, uint c, uint d) => Math.Max(Math.Max(a, b), Math.Max(c, d)) <= 9;

    // Days from 0001-01-01 (DateTime's zero) to January 1st of each year up to 10000: looked up, where the
    // calendar's rule would divide by 4, 100 and 400 for every timestamp.
    private static readonly int[] s_daysBeforeYear = CountDaysBeforeYears();

    // Days before the first of each month in a common year.
    private static ReadOnlySpan<int> DaysBeforeMonth => [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365];

    // Ticks per unit of a fraction with 1 to 7 digits.
    private static ReadOnlySpan<long> TicksPerFractionDigits => [0, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1];

    public static string Format(long utcTicks) =>
        new DateTime(utcTicks, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'");

    private static int DaysInMonth(int year, int month) =>
        DaysBeforeMonth[month] - DaysBeforeMonth[month - 1] + (month == 2 ? LeapDays(year) : 0);

    /// <summary>Days from 0001-01-01 (DateTime's zero) to the date.</summary>
    private static long DaysSinceEpoch(int year, int month, int day) =>
        s_daysBeforeYear[year] + DaysBeforeMonth[month - 1] + (month > 2 ? LeapDays(year) : 0) + day - 1;

    private static int LeapDays(int year) => s_daysBeforeYear[year + 1] - s_daysBeforeYear[year] - 365;

    private static int[] CountDaysBeforeYears()
    {
        var days = new int[10_001];
        for (var year = 2; year <= 10_000; year++)
        {
            days[year] = days[year - 1] + (DateTime.IsLeapYear(year - 1) ? 366 : 365);
        }

        return days;
    }

    private static bool TryOffset(ReadOnlySpan<byte> text, out long ticks)
    {
        ticks = 0;
        if (text.IsEmpty || text is [(byte)'Z'] or [(byte)'z'])
        {
            return true;
        }

        if (text.Length != 6)
        {
            return false;
        }

        uint h0 = Digit(text[1]), h1 = Digit(text[2]), m0 = Digit(text[4]), m1 = Digit(text[5]);
        var hours = (h0 * 10) + h1;
        var minutes = (m0 * 10) + m1;
        if (!AreDigits(h0, h1, m0, m1) || text[0] is not ((byte)'+' or (byte)'-') || text[3] != ':' || hours > 14 || minutes > 59)
        {
            return false;
        }

        ticks = (text[0] == '-' ? -1 : 1) * ((hours * TimeSpan.TicksPerHour) + (minutes * TimeSpan.TicksPerMinute));
        return true;
    }
}
