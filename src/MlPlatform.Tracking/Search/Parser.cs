using System.Globalization;

namespace MlPlatform.Tracking.Search;

/// <summary>
/// Recursive descent over the tokens of a filter or order_by. Precedence, loosest first:
/// OR, AND, NOT, then a parenthesised filter or a single predicate.
/// <code>
/// filter    = or END
/// or        = and { OR and }
/// and       = not { AND not }
/// not       = NOT not | "(" or ")" | predicate
/// predicate = field ( op literal | [NOT] (LIKE | ILIKE) literal | [NOT] IN "(" literal {"," literal} ")" | IS [NOT] NULL )
/// order_by  = [ field [ASC | DESC] { "," field [ASC | DESC] } ] END
/// </code>
/// </summary>
internal sealed class Parser
{
    private readonly List<Token> _tokens;
    private int _next;

    private Parser(string text) => _tokens = Lexer.Tokenize(text);

    /// <summary>The filter's tree, or null for an empty filter (every run matches).</summary>
    public static Filter? ParseFilter(string text)
    {
        var parser = new Parser(text);
        if (parser.Current.Kind == TokenKind.End)
        {
            return null;
        }

        var filter = parser.ParseOr();
        parser.Expect(TokenKind.End, "AND, OR or the end of the filter");
        return filter;
    }

    public static IReadOnlyList<OrderKey> ParseOrderBy(string text)
    {
        var parser = new Parser(text);
        var keys = new List<OrderKey>();
        if (parser.Current.Kind == TokenKind.End)
        {
            return keys;
        }

        do
        {
            var field = parser.ParseField();
            var descending = false;
            if (parser.Current.IsWord("DESC") || parser.Current.IsWord("ASC"))
            {
                descending = parser.Advance().IsWord("DESC");
            }

            keys.Add(new OrderKey(field, descending));
        }
        while (parser.Accept(TokenKind.Comma));

        parser.Expect(TokenKind.End, "',', ASC, DESC or the end of order_by");
        return keys;
    }

    private Token Current => _tokens[_next];

    private Filter ParseOr()
    {
        var left = ParseAnd();
        while (AcceptWord("OR"))
        {
            left = new OrFilter(left, ParseAnd());
        }

        return left;
    }

    private Filter ParseAnd()
    {
        var left = ParseNot();
        while (AcceptWord("AND"))
        {
            left = new AndFilter(left, ParseNot());
        }

        return left;
    }

    private Filter ParseNot()
    {
        if (AcceptWord("NOT"))
        {
            return new NotFilter(ParseNot());
        }

        if (Accept(TokenKind.LeftParen))
        {
            var inner = ParseOr();
            Expect(TokenKind.RightParen, "')'");
            return inner;
        }

        return ParsePredicate();
    }

    private Filter ParsePredicate()
    {
        var field = ParseField();
        var token = Current;
        if (token.Kind == TokenKind.Operator)
        {
            Advance();
            return new Comparison(field, ToOperator(token.Text), ParseLiteral());
        }

        if (AcceptWord("IS"))
        {
            var negated = AcceptWord("NOT");
            ExpectWord("NULL");
            return new IsNull(field, negated);
        }

        var not = AcceptWord("NOT");
        if (AcceptWord("IN"))
        {
            return new InList(field, ParseList(), not);
        }

        if (Current.IsWord("LIKE") || Current.IsWord("ILIKE"))
        {
            // NOT LIKE is its own operator, like != and NOT IN: the run must have the key.
            var op = (Advance().IsWord("LIKE"), not) switch
            {
                (true, false) => ComparisonOperator.Like,
                (true, true) => ComparisonOperator.NotLike,
                (false, false) => ComparisonOperator.ILike,
                (false, true) => ComparisonOperator.NotILike,
            };
            return new Comparison(field, op, ParseLiteral());
        }

        throw Unexpected(not ? "IN, LIKE or ILIKE after NOT" : "an operator (= != < <= > >= LIKE ILIKE IN NOT IN IS NULL)");
    }

    private List<Literal> ParseList()
    {
        Expect(TokenKind.LeftParen, "'(' to open the list");
        var values = new List<Literal> { ParseLiteral() };
        while (Accept(TokenKind.Comma))
        {
            values.Add(ParseLiteral());
        }

        Expect(TokenKind.RightParen, "',' or ')' to close the list");
        return values;
    }

    private Field ParseField()
    {
        var token = Current;
        if (token.Kind != TokenKind.Field)
        {
            throw Unexpected("a field such as metrics.rmse, params.lr, tags.team, attributes.status or datasets.iris");
        }

        Advance();
        var kind = token.Text.ToLowerInvariant() switch
        {
            "metrics" or "metric" => FieldKind.Metric,
            "params" or "param" => FieldKind.Param,
            "tags" or "tag" => FieldKind.Tag,
            "attributes" or "attribute" or "attr" => FieldKind.Attribute,
            "datasets" or "dataset" => FieldKind.Dataset,
            _ => throw new SearchSyntaxException(
                $"unknown field '{token.Text}.{token.Key}'; fields start with metrics., params., tags., attributes. or datasets.", token.Position),
        };
        return new Field(kind, token.Key, token.Position);
    }

    private Literal ParseLiteral()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.String:
                Advance();
                return new Literal(null, token.Text, token.Position);
            case TokenKind.Number:
                Advance();
                return new Literal(ParseNumber(token), null, token.Position);
            case TokenKind.Word when token.IsWord("NaN") || token.IsWord("Infinity"):
                Advance();
                return new Literal(token.IsWord("NaN") ? double.NaN : double.PositiveInfinity, null, token.Position);
            default:
                throw Unexpected("a number or a quoted string");
        }
    }

    private static double ParseNumber(Token token) =>
        double.TryParse(token.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new SearchSyntaxException($"'{token.Text}' is not a number", token.Position);

    private static ComparisonOperator ToOperator(string text) => text switch
    {
        "=" => ComparisonOperator.Equal,
        "!=" => ComparisonOperator.NotEqual,
        "<" => ComparisonOperator.Less,
        "<=" => ComparisonOperator.LessOrEqual,
        ">" => ComparisonOperator.Greater,
        _ => ComparisonOperator.GreaterOrEqual,
    };

    private Token Advance() => _tokens[_next++];

    private bool Accept(TokenKind kind)
    {
        if (Current.Kind != kind)
        {
            return false;
        }

        _next++;
        return true;
    }

    private bool AcceptWord(string keyword)
    {
        if (!Current.IsWord(keyword))
        {
            return false;
        }

        _next++;
        return true;
    }

    private void Expect(TokenKind kind, string expected)
    {
        if (!Accept(kind))
        {
            throw Unexpected(expected);
        }
    }

    private void ExpectWord(string keyword)
    {
        if (!AcceptWord(keyword))
        {
            throw Unexpected(keyword);
        }
    }

    private SearchSyntaxException Unexpected(string expected) =>
        new($"expected {expected} but found {Current.Describe()}", Current.Position);
}
