namespace MlPlatform.Tracking.Search;

internal enum FieldKind
{
    Metric,
    Param,
    Tag,
    Attribute,
    Dataset,
}

internal enum ComparisonOperator
{
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Like,
    ILike,
    NotLike,
    NotILike,
}

internal static class ComparisonOperators
{
    /// <summary>LIKE, ILIKE and their NOT forms: they match text against a pattern.</summary>
    public static bool IsPattern(this ComparisonOperator op) =>
        op is ComparisonOperator.Like or ComparisonOperator.ILike or ComparisonOperator.NotLike or ComparisonOperator.NotILike;
}

/// <summary>A field as written: <c>metrics.rmse</c> is (Metric, "rmse").</summary>
internal sealed record Field(FieldKind Kind, string Key, int Position)
{
    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()}s.{Key}";
}

/// <summary>A literal: a number (NaN and ±Infinity included) or a string.</summary>
internal sealed record Literal(double? Number, string? Text, int Position)
{
    public bool IsNumber => Number is not null;

    public override string ToString() => Number?.ToString("R", System.Globalization.CultureInfo.InvariantCulture) ?? $"'{Text}'";
}

/// <summary>The parsed filter: a tree of predicates joined by AND, OR and NOT.</summary>
internal abstract record Filter;

internal sealed record AndFilter(Filter Left, Filter Right) : Filter
{
    public override string ToString() => $"({Left} AND {Right})";
}

internal sealed record OrFilter(Filter Left, Filter Right) : Filter
{
    public override string ToString() => $"({Left} OR {Right})";
}

internal sealed record NotFilter(Filter Operand) : Filter
{
    public override string ToString() => $"NOT {Operand}";
}

internal sealed record Comparison(Field Field, ComparisonOperator Operator, Literal Value) : Filter
{
    public override string ToString() => $"{Field} {Operator} {Value}";
}

internal sealed record InList(Field Field, IReadOnlyList<Literal> Values, bool Negated) : Filter
{
    public override string ToString() => $"{Field} {(Negated ? "NOT IN" : "IN")} ({string.Join(", ", Values)})";
}

internal sealed record IsNull(Field Field, bool Negated) : Filter
{
    public override string ToString() => $"{Field} IS {(Negated ? "NOT NULL" : "NULL")}";
}

/// <summary>One key of an order_by.</summary>
internal sealed record OrderKey(Field Field, bool Descending);
