using System.Globalization;
using System.Text;
using MlPlatform.Datasets.Profiling;

namespace MlPlatform.Datasets.Tests.Profiling;

public sealed class ColumnProfilerTests
{
    [Theory]
    [InlineData(ColumnType.Int64, "1", "-20", "300")]
    [InlineData(ColumnType.Double, "1", "2.5", "-3e2", "NaN")]
    [InlineData(ColumnType.Bool, "true", "False", "TRUE")]
    [InlineData(ColumnType.Timestamp, "2024-05-01", "2024-05-01T13:45:00Z", "2024-05-01 13:45:30.123456789+02:00")]
    [InlineData(ColumnType.String, "1", "2.5", "true")]
    [InlineData(ColumnType.String, "2024-05-01", "yesterday")]
    [InlineData(ColumnType.String, " 1", "2")]
    [InlineData(ColumnType.String, "1,000")]
    [InlineData(ColumnType.Double, "99999999999999999999")]
    public void The_narrowest_type_every_value_fits_is_inferred(ColumnType expected, params string[] values)
    {
        Assert.Equal(expected, Profile(values).Type);
    }

    [Fact]
    public void Empty_values_are_nulls_and_make_the_column_nullable()
    {
        var column = Profile("1", "", "3");

        Assert.Equal(ColumnType.Int64, column.Type);
        Assert.True(column.Nullable);
        Assert.Equal(2, column.Profile.Count);
        Assert.Equal(1, column.Profile.NullCount);
        Assert.False(Profile("1").Nullable);
    }

    [Fact]
    public void A_column_with_only_empty_values_is_a_nullable_string_without_statistics()
    {
        var column = Profile("", "");

        Assert.Equal((ColumnType.String, true), (column.Type, column.Nullable));
        Assert.Equal(new ColumnProfile(0, 2, null, null, null, null, 0, []), column.Profile with { TopValues = [] });
        Assert.Empty(column.Profile.TopValues);
    }

    [Fact]
    public void Numbers_get_min_max_mean_and_sample_standard_deviation()
    {
        var profile = Profile("2", "4", "4", "4", "5", "5", "7", "9").Profile;

        Assert.Equal(("2", "9"), (profile.Min, profile.Max));
        Assert.Equal(5.0, profile.Mean);
        Assert.Equal(Math.Sqrt(32.0 / 7), profile.StdDev!.Value, 12);
        Assert.Equal(5, profile.DistinctEstimate);
        Assert.Empty(profile.TopValues);
    }

    [Theory]
    [InlineData("1.7976931348623157E+308", "-1.7976931348623157E+308", "1")]
    [InlineData("1", "NaN", "3")]
    public void Statistics_are_finite_or_left_empty(params string[] values)
    {
        var profile = Profile(values).Profile;

        Assert.Equal(ColumnType.Double, Profile(values).Type);
        Assert.True(profile.Mean is null || double.IsFinite(profile.Mean.Value));
        Assert.True(profile.StdDev is null || double.IsFinite(profile.StdDev.Value));
    }

    [Fact]
    public void Mean_and_deviation_match_a_two_pass_computation_over_many_blocks()
    {
        var random = new Random(11);
        var values = Enumerable.Range(0, 10_007).Select(_ => 1e6 + (random.NextDouble() * 0.01)).ToArray();
        var mean = values.Average();
        var stdDev = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));

        var profile = Profile([.. values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))]).Profile;

        // The reference's own rounding error bounds how close the two can be.
        Assert.Equal(mean, profile.Mean!.Value, 1e-6);
        Assert.Equal(stdDev, profile.StdDev!.Value, stdDev * 1e-6);
    }

    [Fact]
    public void Mean_and_deviation_stay_accurate_where_a_naive_sum_of_squares_would_cancel()
    {
        var values = Enumerable.Range(0, 1000).Select(i => (1e9 + (i % 2)).ToString(CultureInfo.InvariantCulture)).ToArray();

        var profile = Profile(values).Profile;

        Assert.Equal(1e9 + 0.5, profile.Mean!.Value, 6);
        Assert.Equal(0.5002501876, profile.StdDev!.Value, 6);
    }

    [Fact]
    public void Doubles_leave_nan_and_infinity_out_of_the_statistics()
    {
        var profile = Profile("1.5", "NaN", "Infinity", "2.5").Profile;

        Assert.Equal(("1.5", "2.5", 2.0), (profile.Min, profile.Max, profile.Mean));
        Assert.Equal(4, profile.Count);
    }

    [Fact]
    public void Booleans_report_the_share_of_true_as_mean()
    {
        var profile = Profile("true", "false", "true", "true").Profile;

        Assert.Equal(("false", "true", 0.75), (profile.Min, profile.Max, profile.Mean));
    }

    [Fact]
    public void Timestamps_report_min_and_max_in_utc()
    {
        var profile = Profile("2024-05-01T12:00:00+02:00", "2024-05-01", "2024-05-02T00:00:00.5Z").Profile;

        Assert.Equal(("2024-05-01T00:00:00Z", "2024-05-02T00:00:00.5Z"), (profile.Min, profile.Max));
        Assert.Null(profile.Mean);
    }

    [Fact]
    public void Strings_report_min_max_in_code_point_order_and_their_most_frequent_values()
    {
        var profile = Profile("pear", "apple", "pear", "Zebra", "pear", "apple", "éclair").Profile;

        Assert.Equal(("Zebra", "éclair"), (profile.Min, profile.Max));
        Assert.Equal([new ValueCount("pear", 3), new ValueCount("apple", 2), new ValueCount("Zebra", 1), new ValueCount("éclair", 1)], profile.TopValues);
        Assert.Equal(4, profile.DistinctEstimate);
        Assert.Null(profile.Mean);
    }

    [Fact]
    public void String_min_and_max_are_exact_for_every_length_and_shared_prefix()
    {
        // Short values (1–15 bytes) over a tiny alphabet share prefixes and are prefixes of one another:
        // where the 8-byte comparison key ties or pads, only the whole bytes may decide.
        var random = new Random(8);
        for (var round = 0; round < 200; round++)
        {
            var values = Enumerable.Range(0, 50)
                .Select(_ => string.Concat(Enumerable.Range(0, random.Next(1, 16)).Select(_ => "ab\u00e9"[random.Next(3)])))
                .Append("x") // never null: the column stays a string
                .ToArray();
            var utf8 = values.Select(Encoding.UTF8.GetBytes).ToArray();
            var expectedMin = utf8.Aggregate((a, b) => a.AsSpan().SequenceCompareTo(b) <= 0 ? a : b);
            var expectedMax = utf8.Aggregate((a, b) => a.AsSpan().SequenceCompareTo(b) >= 0 ? a : b);

            var profile = Profile(values).Profile;

            Assert.Equal((Encoding.UTF8.GetString(expectedMin), Encoding.UTF8.GetString(expectedMax)), (profile.Min, profile.Max));
        }
    }

    [Fact]
    public void A_column_of_few_codes_and_one_stray_word_keeps_exact_top_values()
    {
        string[] values = [.. Enumerable.Range(0, 10_000).Select(i => $"{i % 5}"), "unknown"];

        var summary = Profile(values);

        Assert.Equal(ColumnType.String, summary.Type);
        Assert.Equal(
            [new ValueCount("0", 2000), new ValueCount("1", 2000), new ValueCount("2", 2000), new ValueCount("3", 2000), new ValueCount("4", 2000),
             new ValueCount("unknown", 1)],
            summary.Profile.TopValues);
    }

    [Fact]
    public void Numbers_passed_over_for_top_values_never_overstate_a_count_when_the_column_turns_out_to_be_text()
    {
        // A number column of many distinct values stops counting top values; the words after it are counted,
        // and only a word more frequent than every number could have been is reported.
        string[] values =
        [
            .. Enumerable.Range(0, 1_000).Select(i => $"{i}"),
            .. Enumerable.Repeat("n/a", 3_000),
            .. Enumerable.Repeat("rare", 10),
        ];

        var top = Profile(values).Profile.TopValues;

        var reported = Assert.Single(top);
        Assert.Equal("n/a", reported.Value);
        Assert.InRange(reported.Count, 1, 3_000);
    }

    [Fact]
    public void Heavy_hitters_are_found_among_many_distinct_values_with_bounded_error()
    {
        // 40 % "common", 10 % "rare", the rest all different.
        var values = Enumerable.Range(0, 100_000).Select(i => (i % 10) switch
        {
            < 4 => "common",
            4 => "rare",
            _ => $"id-{i}",
        }).ToArray();

        var top = Profile(values).Profile.TopValues;

        Assert.Equal(["common", "rare"], top.Select(t => t.Value));
        Assert.InRange(top[0].Count, 40_000 - 100_000 / 32, 40_000);
        Assert.InRange(top[1].Count, 10_000 - 100_000 / 32, 10_000);
    }

    [Theory]
    [InlineData(1_000)]
    [InlineData(20_000)]
    [InlineData(300_000)]
    public void Distinct_counts_are_estimated_within_a_few_percent(int distinct)
    {
        var values = Enumerable.Range(0, distinct).SelectMany(i => new[] { $"v{i}", $"v{i}" }).ToArray();

        var estimate = Profile(values).Profile.DistinctEstimate;

        Assert.InRange(estimate, distinct * 0.95, distinct * 1.05);
    }

    [Fact]
    public void Long_strings_are_cut_in_the_profile()
    {
        var profile = Profile(new string('x', 1000)).Profile;

        Assert.Equal(256, profile.Min!.Length);
        Assert.Empty(profile.TopValues);
    }

    private static ColumnSummary Profile(params string[] values)
    {
        var profiler = new ColumnProfiler("c");
        foreach (var value in values)
        {
            profiler.Add(Encoding.UTF8.GetBytes(value));
        }

        return profiler.Summarize();
    }
}
