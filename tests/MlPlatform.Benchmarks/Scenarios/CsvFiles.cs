using System.Buffers.Text;
using System.Globalization;

namespace MlPlatform.Benchmarks.Scenarios;

/// <summary>
/// Realistic CSV files of a given size: twelve columns of every type the service infers
/// (int64, double, bool, timestamp, string), some nullable, quoted fields with commas and doubled
/// quotes, and non-ASCII text. Generated once into the temp folder and reused by later runs: the
/// content is fully determined by the size (fixed seed), so a file that exists is the right one.
/// </summary>
internal static class CsvFiles
{
    // Bump when the generator changes, so cached files of the old shape are not reused.
    private const int GeneratorVersion = 2;

    private static readonly byte[] s_header =
        "id,customer_id,amount,discount,score,is_active,created_at,shipped_at,country,category,product,comment\n"u8.ToArray();

    private static readonly byte[][] s_countries = Utf8(
        "US", "DE", "FR", "GB", "NL", "SE", "PL", "ES", "IT", "JP", "CN", "IN", "BR", "CA", "AU",
        "MX", "KR", "CH", "AT", "BE", "DK", "NO", "FI", "IE", "PT", "CZ", "TR", "ZA", "AR", "NZ");

    // Repeated entries make a skewed distribution, as real categories have.
    private static readonly byte[][] s_categories = Utf8(
        "electronics", "electronics", "electronics", "books", "books", "clothing", "clothing", "home", "garden",
        "toys", "sports", "beauty", "grocery", "automotive", "office");

    private static readonly byte[][] s_adjectives = Utf8("Blue", "Smart", "Compact", "Deluxe", "Eco", "Classic", "Ultra", "Mini", "Pro", "Vintage");

    private static readonly byte[][] s_nouns = Utf8("Widget", "Kettle", "Backpack", "Lamp", "Headphones", "Notebook", "Sneakers", "Drill", "Blender", "Chair");

    private static readonly byte[][] s_comments = Utf8(
        "Fast delivery",
        "\"Arrived late, but well packed\"",
        "\"Box was \"\"slightly\"\" damaged\"",
        "\"Très bien, merci\"",
        "Größe passt perfekt",
        "とても良い商品です",
        "\"Ordered two, got one; support fixed it\"",
        "Would buy again",
        "\"Multi-line\nnote from the courier\"",
        "OK");

    private static readonly DateTime s_epoch = new(2023, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>The path of a file of at least <paramref name="bytes"/> bytes (whole rows), generating it if needed.</summary>
    public static string Ensure(long bytes, Action<string> log)
    {
        var directory = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "mlplatform-benchmarks")).FullName;
        var path = Path.Combine(directory, $"upload-{bytes}-v{GeneratorVersion}.csv");
        if (File.Exists(path))
        {
            return path;
        }

        log($"Generating a {bytes >> 20} MiB CSV file at {path} (once; later runs reuse it)…");
        var temporary = path + $".{Environment.ProcessId}.tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            var random = new Random(20240501);
            var buffer = new byte[1 << 20];
            s_header.CopyTo(buffer, 0);
            var used = s_header.Length;
            long written = 0;
            long row = 0;
            while (written + used < bytes)
            {
                used += WriteRow(buffer.AsSpan(used), ++row, random);
                if (buffer.Length - used < 1024)
                {
                    file.Write(buffer, 0, used);
                    written += used;
                    used = 0;
                }
            }

            file.Write(buffer, 0, used);
        }

        File.Move(temporary, path, overwrite: true);
        return path;
    }

    /// <summary>
    /// One more row with a random id, appended to an upload so that no two uploads carry the same
    /// content: each makes a new blob, as a new dataset version does, instead of meeting a stored copy.
    /// </summary>
    public static byte[] UniqueRow()
    {
        var buffer = new byte[1024];
        var id = Random.Shared.NextInt64(1, long.MaxValue);
        return buffer[..WriteRow(buffer, id, new Random(unchecked((int)id)))];
    }

    /// <summary>One row, at most a few hundred bytes, into <paramref name="span"/>; returns its length.</summary>
    private static int WriteRow(Span<byte> span, long id, Random random)
    {
        var n = 0;
        Integer(span, ref n, id);
        Integer(span, ref n, random.NextInt64(1, 2_000_000));
        Double(span, ref n, Math.Round(0.5 + random.NextDouble() * 4999.5, 2), "0.00");
        if (random.Next(100) < 15)
        {
            span[n++] = (byte)',';
        }
        else
        {
            Double(span, ref n, random.Next(0, 500) / 1000.0, "0.###");
        }

        var score = (random.NextDouble() - 0.2) * Math.Pow(10, random.Next(-6, 3));
        Double(span, ref n, score, "R");
        Literal(span, ref n, random.Next(3) == 0 ? "false"u8 : "true"u8);
        var created = s_epoch.AddSeconds(random.NextInt64(0, 2L * 365 * 24 * 3600));
        Timestamp(span, ref n, created, "yyyy-MM-dd'T'HH:mm:ss'Z'");
        if (random.Next(100) < 20)
        {
            span[n++] = (byte)',';
        }
        else
        {
            Timestamp(span, ref n, created.AddMilliseconds(random.NextInt64(3_600_000, 7L * 24 * 3_600_000)), "yyyy-MM-dd HH:mm:ss.fff");
        }

        Literal(span, ref n, s_countries[random.Next(s_countries.Length)]);
        Literal(span, ref n, s_categories[random.Next(s_categories.Length)]);
        n += Product(span[n..], random);
        span[n++] = (byte)',';
        if (random.Next(100) >= 40)
        {
            var comment = s_comments[random.Next(s_comments.Length)];
            comment.CopyTo(span[n..]);
            n += comment.Length;
        }

        span[n++] = (byte)'\n';
        return n;
    }

    private static int Product(Span<byte> span, Random random)
    {
        var adjective = s_adjectives[random.Next(s_adjectives.Length)];
        var noun = s_nouns[random.Next(s_nouns.Length)];
        adjective.CopyTo(span);
        var n = adjective.Length;
        span[n++] = (byte)' ';
        noun.CopyTo(span[n..]);
        n += noun.Length;
        span[n++] = (byte)' ';
        Utf8Formatter.TryFormat(random.Next(1, 1000), span[n..], out var written);
        return n + written;
    }

    private static void Integer(Span<byte> span, ref int n, long value)
    {
        Utf8Formatter.TryFormat(value, span[n..], out var written);
        n += written;
        span[n++] = (byte)',';
    }

    private static void Double(Span<byte> span, ref int n, double value, string format)
    {
        value.TryFormat(span[n..], out var written, format, CultureInfo.InvariantCulture);
        n += written;
        span[n++] = (byte)',';
    }

    private static void Timestamp(Span<byte> span, ref int n, DateTime value, string format)
    {
        value.TryFormat(span[n..], out var written, format, CultureInfo.InvariantCulture);
        n += written;
        span[n++] = (byte)',';
    }

    private static void Literal(Span<byte> span, ref int n, ReadOnlySpan<byte> value)
    {
        value.CopyTo(span[n..]);
        n += value.Length;
        span[n++] = (byte)',';
    }

    private static byte[][] Utf8(params string[] values) => [.. values.Select(System.Text.Encoding.UTF8.GetBytes)];
}
