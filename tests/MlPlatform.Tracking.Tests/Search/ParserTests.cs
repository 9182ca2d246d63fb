using MlPlatform.Tracking.Search;

namespace MlPlatform.Tracking.Tests.Search;

/// <summary>The filter language's grammar: what each text parses to, and where each mistake is reported.</summary>
public sealed class ParserTests
{
    [Theory]
    [InlineData("metrics.rmse < 0.3", "metrics.rmse Less 0.3")]
    [InlineData("metrics.rmse<0.3 and params.trainer='FastTree'", "(metrics.rmse Less 0.3 AND params.trainer Equal 'FastTree')")]
    [InlineData("metrics.a = 1 or metrics.b = 2 and metrics.c = 3", "(metrics.a Equal 1 OR (metrics.b Equal 2 AND metrics.c Equal 3))")]
    [InlineData("(metrics.a = 1 or metrics.b = 2) and metrics.c = 3", "((metrics.a Equal 1 OR metrics.b Equal 2) AND metrics.c Equal 3)")]
    [InlineData("not metrics.a > 1 or tags.t = 'x'", "(NOT metrics.a Greater 1 OR tags.t Equal 'x')")]
    [InlineData("not (metrics.a > 1 or tags.t = 'x')", "NOT (metrics.a Greater 1 OR tags.t Equal 'x')")]
    [InlineData("tags.team in ('a', 'b')", "tags.team IN ('a', 'b')")]
    [InlineData("params.depth NOT IN (1, 2.5)", "params.depth NOT IN (1, 2.5)")]
    [InlineData("tags.team is null", "tags.team IS NULL")]
    [InlineData("tags.team IS NOT NULL", "tags.team IS NOT NULL")]
    [InlineData("params.trainer like 'Fast%'", "params.trainer Like 'Fast%'")]
    [InlineData("params.trainer not ilike 'fast%'", "params.trainer NotILike 'fast%'")]
    [InlineData("metrics.`val loss` <= 1e-3", "metrics.val loss LessOrEqual 0.001")]
    [InlineData("params.\"a b\" = 'it''s'", "params.a b Equal 'it's'")]
    [InlineData("metrics.train/loss > -1.5", "metrics.train/loss Greater -1.5")]
    [InlineData("params.lr.decay != .5", "params.lr.decay NotEqual 0.5")]
    [InlineData("metrics.a <> 1", "metrics.a NotEqual 1")]
    [InlineData("METRICS.x >= 1 AnD Tags.y ILIKE '%a%'", "(metrics.x GreaterOrEqual 1 AND tags.y ILike '%a%')")]
    [InlineData("metrics.loss = NaN or metrics.loss < -Infinity", "(metrics.loss Equal NaN OR metrics.loss Less -Infinity)")]
    [InlineData("attributes.status = \"FINISHED\"", "attributes.status Equal 'FINISHED'")]
    [InlineData("datasets.iris >= 2", "datasets.iris GreaterOrEqual 2")]
    public void Parses_filters(string filter, string expected) =>
        Assert.Equal(expected, Parser.ParseFilter(filter)!.ToString());

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void An_empty_filter_matches_everything(string filter) => Assert.Null(Parser.ParseFilter(filter));

    [Theory]
    [InlineData("metrics.rmse <", 14, "expected a number or a quoted string but found the end")]
    [InlineData("metrics.rmse < 0.3 and", 22, "expected a field")]
    [InlineData("metrics.rmse < 0.3 metrics.acc > 1", 19, "expected AND, OR or the end of the filter")]
    [InlineData("foo.bar = 1", 0, "unknown field 'foo.bar'")]
    [InlineData("rmse < 1", 0, "expected a field such as metrics.rmse")]
    [InlineData("metrics.rmse = 'abc", 15, "unterminated '")]
    [InlineData("(metrics.a = 1", 14, "expected ')'")]
    [InlineData("metrics. = 1", 8, "expected a key after 'metrics.'")]
    [InlineData("metrics.a in 1", 13, "expected '(' to open the list")]
    [InlineData("metrics.a in (1 2)", 16, "expected ',' or ')'")]
    [InlineData("metrics.a ~ 1", 10, "unexpected character '~'")]
    [InlineData("metrics.a = 12abc", 12, "a number runs into letters")]
    [InlineData("metrics.a is 1", 13, "expected NULL")]
    [InlineData("metrics.a not = 1", 14, "expected IN, LIKE or ILIKE after NOT")]
    [InlineData("`val loss` < 1", 0, "a backquoted key needs a prefix")]
    [InlineData("metrics.a = 1 and", 17, "found the end of the text")]
    public void Reports_where_a_filter_goes_wrong(string filter, int position, string message)
    {
        var error = Assert.Throws<SearchSyntaxException>(() => Parser.ParseFilter(filter));
        Assert.Equal(position, error.Position);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parses_order_by_lists()
    {
        var keys = Parser.ParseOrderBy("metrics.rmse, params.lr DESC, attributes.start_time asc");
        Assert.Equal(
            [("metrics.rmse", false), ("params.lr", true), ("attributes.start_time", false)],
            keys.Select(k => (k.Field.ToString(), k.Descending)));
        Assert.Empty(Parser.ParseOrderBy(""));
    }

    [Theory]
    [InlineData("metrics.rmse up", 13)]
    [InlineData("metrics.rmse,", 13)]
    [InlineData("rmse", 0)]
    public void Reports_where_an_order_by_goes_wrong(string orderBy, int position) =>
        Assert.Equal(position, Assert.Throws<SearchSyntaxException>(() => Parser.ParseOrderBy(orderBy)).Position);
}
