using MlPlatform.Tracking.Database;
using MlPlatform.Tracking.Search;

namespace MlPlatform.Tracking.Tests.Search;

/// <summary>What SQL a filter becomes: user text only ever travels as parameters.</summary>
public sealed class FilterTranslatorTests
{
    private static readonly TrackingTables s_tables = new("t");

    [Theory]
    [InlineData("metrics.rmse < 0.3",
        "r.run_no IN (SELECT run_no FROM \"t\".metric_series WHERE key = $2 AND value < $1)")]
    [InlineData("metrics.rmse in (1, 2)",
        "r.run_no IN (SELECT run_no FROM \"t\".metric_series WHERE key = $2 AND value = ANY($1))")]
    [InlineData("metrics.rmse is null",
        "r.run_no NOT IN (SELECT run_no FROM \"t\".metric_series WHERE key = $1)")]
    [InlineData("params.trainer = 'FastTree'",
        "r.run_no IN (SELECT run_no FROM \"t\".run_params WHERE key = $2 AND value_prefix = $1)")]
    [InlineData("tags.note in ('a', 'b')",
        "r.run_no IN (SELECT run_no FROM \"t\".run_tags WHERE key = $2 AND value_prefix = ANY($1))")]
    [InlineData("params.lr < 0.01",
        "r.run_no IN (SELECT run_no FROM \"t\".run_params WHERE key = $2 AND num_value < $1)")]
    [InlineData("tags.team not in ('a', 'b')",
        "r.run_no IN (SELECT run_no FROM \"t\".run_tags WHERE key = $2 AND value <> ALL($1))")]
    [InlineData("datasets.iris >= 2",
        "r.run_no IN (SELECT run_no FROM \"t\".run_datasets WHERE name = $2 AND version >= $1)")]
    [InlineData("attributes.status = 'finished'", "r.status = $1")]
    [InlineData("attributes.end_time < 0", "coalesce(r.end_time < $1, false)")]
    [InlineData("not attributes.parent_run_id is null", "NOT r.parent_run_id IS NULL")]
    [InlineData("metrics.a = 1 or not tags.b like 'x%'",
        "(r.run_no IN (SELECT run_no FROM \"t\".metric_series WHERE key = $2 AND value = $1) OR NOT r.run_no IN (SELECT run_no FROM \"t\".run_tags WHERE key = $4 AND value LIKE $3))")]
    public void Translates_to_parameterised_sql(string filter, string sql)
    {
        var parameters = new SqlParameters();
        Assert.Equal(sql, new FilterTranslator(s_tables, parameters).Translate(Parser.ParseFilter(filter)!));
        Assert.DoesNotContain(parameters.Values, p => p.Value is string s && sql.Contains(s, StringComparison.Ordinal) && s.Length > 2);
    }

    [Fact]
    public void Long_text_values_are_compared_whole_after_the_indexed_prefix()
    {
        var value = new string('v', TrackingTables.ValuePrefixLength);
        var parameters = new SqlParameters();
        Assert.Equal(
            "o0.run_no IN (SELECT run_no FROM \"t\".run_params WHERE key = $2 AND value_prefix = left($1, 200) AND value = $1)",
            new FilterTranslator(s_tables, parameters, "o0.run_no").Translate(Parser.ParseFilter($"params.note = '{value}'")!));
        Assert.Equal(value, parameters.Values[0].Value);
    }

    [Fact]
    public void Status_values_are_normalised_and_checked()
    {
        var parameters = new SqlParameters();
        new FilterTranslator(s_tables, parameters).Translate(Parser.ParseFilter("attributes.status = 'finished'")!);
        Assert.Equal("FINISHED", parameters.Values[0].Value);
    }

    [Theory]
    [InlineData("metrics.rmse like 'a%'", 0, "is a number; LIKE and ILIKE work on")]
    [InlineData("metrics.rmse = 'low'", 15, "compare it with a number")]
    [InlineData("params.trainer like 5", 20, "LIKE and ILIKE compare with a quoted pattern")]
    [InlineData("tags.team in ('a', 1)", 19, "either numbers or quoted strings")]
    [InlineData("attributes.color = 'red'", 0, "unknown attribute 'color'")]
    [InlineData("attributes.status = 'DONE'", 20, "unknown status 'DONE'")]
    [InlineData("attributes.start_time > 'yesterday'", 24, "is not a time")]
    [InlineData("attributes.run_name = 5", 22, "compare it with a quoted string")]
    [InlineData("datasets.iris = 1.5", 16, "whole number")]
    [InlineData("datasets.iris like 'x'", 0, "version number")]
    public void Rejects_predicates_that_make_no_sense(string filter, int position, string message)
    {
        var error = Assert.Throws<SearchSyntaxException>(() => new FilterTranslator(s_tables, new SqlParameters()).Translate(Parser.ParseFilter(filter)!));
        Assert.Equal(position, error.Position);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
