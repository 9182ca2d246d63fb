using System.Globalization;

namespace MlPlatform.Benchmarks.Harness;

/// <summary>
/// Sizes, rates and durations as people read them. Throughput is in MB/s with MB = 10^6 bytes
/// (as in the platform notes); file and chunk sizes are in binary units (KiB, MiB).
/// </summary>
internal static class Units
{
    public const double Megabyte = 1e6;

    public static long ParseSize(string text)
    {
        var trimmed = text.Trim();
        (string Suffix, long Factor)[] suffixes = [("GiB", 1L << 30), ("MiB", 1L << 20), ("KiB", 1L << 10), ("GB", 1_000_000_000), ("MB", 1_000_000), ("KB", 1_000), ("B", 1)];
        foreach (var (suffix, factor) in suffixes)
        {
            if (trimmed.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                var number = double.Parse(trimmed[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture);
                return checked((long)(number * factor));
            }
        }

        return long.Parse(trimmed, NumberStyles.Integer, CultureInfo.InvariantCulture);
    }

    public static TimeSpan ParseDuration(string text)
    {
        var trimmed = text.Trim();
        return trimmed.EndsWith("ms", StringComparison.OrdinalIgnoreCase)
            ? TimeSpan.FromMilliseconds(double.Parse(trimmed[..^2], NumberStyles.Float, CultureInfo.InvariantCulture))
            : TimeSpan.FromSeconds(double.Parse(trimmed.TrimEnd('s', 'S'), NumberStyles.Float, CultureInfo.InvariantCulture));
    }

    /// <summary>128 MiB, 64 KiB, 1.5 MiB…</summary>
    public static string Binary(long bytes) => bytes switch
    {
        >= 1L << 30 when bytes % (1L << 30) == 0 => $"{bytes >> 30} GiB",
        >= 1L << 20 when bytes % (1L << 20) == 0 => $"{bytes >> 20} MiB",
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.#} MiB"),
        >= 1L << 10 when bytes % (1L << 10) == 0 => $"{bytes >> 10} KiB",
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KiB"),
        _ => $"{bytes} B",
    };

    /// <summary>Three significant digits at most, never scientific: 0.123, 12.3, 1234.</summary>
    public static string Number(double value) => double.IsNaN(value) ? "–" : Math.Abs(value) switch
    {
        >= 100 => value.ToString("0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("0.0", CultureInfo.InvariantCulture),
        >= 1 => value.ToString("0.00", CultureInfo.InvariantCulture),
        _ => value.ToString("0.000", CultureInfo.InvariantCulture),
    };

    public static string Percent(double ratio) => double.IsNaN(ratio) ? "–" : (ratio * 100).ToString("0", CultureInfo.InvariantCulture) + " %";

    public static double MegabytesPerSecond(long bytes, TimeSpan elapsed) => bytes / Megabyte / elapsed.TotalSeconds;
}
