using System.Globalization;
using MlPlatform.Tracking.Database;

namespace MlPlatform.Tracking.Search;

/// <summary>
/// Turns a parsed filter into a SQL condition on one run_no column (<c>r.run_no</c>, or the run_no
/// of the table the search walks in sort order). Every predicate is two-valued (true or false,
/// never NULL), so NOT means what a person expects: a comparison with a key the run does not have
/// is false, and NOT of it is true. Predicates on params, tags, metrics and datasets are
/// uncorrelated <c>run_no IN (SELECT …)</c> subqueries: under AND PostgreSQL turns them into
/// semi-joins, under OR into hashed subplans — one index scan each, not one per run.
/// </summary>
internal sealed class FilterTranslator(TrackingTables tables, SqlParameters parameters, string runNo = "r.run_no")
{
    public string Translate(Filter filter) => filter switch
    {
        AndFilter and => $"({Translate(and.Left)} AND {Translate(and.Right)})",
        OrFilter or => $"({Translate(or.Left)} OR {Translate(or.Right)})",
        NotFilter not => $"NOT {Translate(not.Operand)}",
        Comparison comparison => comparison.Field.Kind switch
        {
            FieldKind.Metric => Metric(comparison),
            FieldKind.Param => KeyValue(tables.Params, comparison),
            FieldKind.Tag => KeyValue(tables.Tags, comparison),
            FieldKind.Dataset => Dataset(comparison),
            _ => Attribute(comparison),
        },
        InList list => list.Field.Kind switch
        {
            FieldKind.Metric => Metric(list),
            FieldKind.Param => KeyValue(tables.Params, list),
            FieldKind.Tag => KeyValue(tables.Tags, list),
            FieldKind.Dataset => Dataset(list),
            _ => Attribute(list),
        },
        IsNull isNull => isNull.Field.Kind switch
        {
            FieldKind.Attribute => $"{RunAttribute.Find(isNull.Field).Column} IS {(isNull.Negated ? "NOT NULL" : "NULL")}",
            _ => Has(isNull.Field, "", negated: !isNull.Negated),
        },
        _ => throw new InvalidOperationException($"Unknown filter node {filter.GetType().Name}."),
    };

    private string Metric(Comparison comparison)
    {
        if (comparison.Operator.IsPattern())
        {
            throw new SearchSyntaxException($"{comparison.Field} is a number; LIKE and ILIKE work on params, tags and text attributes", comparison.Field.Position);
        }

        return Has(comparison.Field, $"value {Sql(comparison.Operator)} {parameters.Add(Number(comparison.Field, comparison.Value))}");
    }

    private string Metric(InList list)
    {
        var values = parameters.Add(list.Values.Select(v => Number(list.Field, v)).ToArray());
        return Has(list.Field, list.Negated ? $"value <> ALL({values})" : $"value = ANY({values})");
    }

    // Params and tags are text; a number literal compares with the values that read as numbers.
    private string KeyValue(string table, Comparison comparison)
    {
        var (field, op, literal) = (comparison.Field, comparison.Operator, comparison.Value);
        if (op.IsPattern())
        {
            return Has(field, $"value {Sql(op)} {parameters.Add(Text(field, literal, "LIKE and ILIKE compare with a quoted pattern"))}", table);
        }

        if (literal.Number is { } number)
        {
            var value = parameters.Add(number);
            return Has(field, op == ComparisonOperator.NotEqual ? $"num_value IS DISTINCT FROM {value}" : $"num_value {Sql(op)} {value}", table);
        }

        var text = parameters.Add(literal.Text!);
        return Has(field, op switch
        {
            // The index holds value_prefix: a shorter literal equals it exactly, a longer one needs the row.
            ComparisonOperator.Equal when literal.Text!.Length < TrackingTables.ValuePrefixLength => $"value_prefix = {text}",
            ComparisonOperator.Equal => $"value_prefix = left({text}, {TrackingTables.ValuePrefixLength}) AND value = {text}",
            _ => $"value {Sql(op)} {text}",
        }, table);
    }

    private string KeyValue(string table, InList list)
    {
        if (list.Values.All(v => v.IsNumber))
        {
            var numbers = parameters.Add(list.Values.Select(v => v.Number!.Value).ToArray());
            return Has(list.Field, list.Negated ? $"(num_value IS NULL OR num_value <> ALL({numbers}))" : $"num_value = ANY({numbers})", table);
        }

        var values = list.Values.Select(v => Text(list.Field, v, "an IN list holds either numbers or quoted strings, not both")).ToArray();
        var texts = parameters.Add(values);
        return Has(list.Field, list switch
        {
            { Negated: true } => $"value <> ALL({texts})",
            _ when values.All(v => v.Length < TrackingTables.ValuePrefixLength) => $"value_prefix = ANY({texts})",
            _ => $"value = ANY({texts})",
        }, table);
    }

    private string Dataset(Comparison comparison)
    {
        if (comparison.Operator.IsPattern())
        {
            throw new SearchSyntaxException($"{comparison.Field} is a version number; LIKE and ILIKE do not apply", comparison.Field.Position);
        }

        return Has(comparison.Field, $"version {Sql(comparison.Operator)} {parameters.Add(Version(comparison.Value))}");
    }

    private string Dataset(InList list)
    {
        var versions = parameters.Add(list.Values.Select(Version).ToArray());
        return Has(list.Field, list.Negated ? $"version <> ALL({versions})" : $"version = ANY({versions})");
    }

    private string Attribute(Comparison comparison)
    {
        var attribute = RunAttribute.Find(comparison.Field);
        if (attribute.IsTime && comparison.Operator.IsPattern())
        {
            throw new SearchSyntaxException($"{comparison.Field} is a time; LIKE and ILIKE work on text", comparison.Field.Position);
        }

        var value = attribute.IsTime
            ? parameters.Add(Time(comparison.Field, comparison.Value))
            : parameters.Add(AttributeText(attribute, comparison.Field, comparison.Value, comparison.Operator));
        return TwoValued(attribute, $"{attribute.Column} {Sql(comparison.Operator)} {value}");
    }

    private string Attribute(InList list)
    {
        var attribute = RunAttribute.Find(list.Field);
        var values = attribute.IsTime
            ? parameters.Add(list.Values.Select(v => Time(list.Field, v)).ToArray())
            : parameters.Add(list.Values.Select(v => AttributeText(attribute, list.Field, v, ComparisonOperator.Equal)).ToArray());
        return TwoValued(attribute, list.Negated ? $"{attribute.Column} <> ALL({values})" : $"{attribute.Column} = ANY({values})");
    }

    private static string TwoValued(RunAttribute attribute, string condition) =>
        attribute.Nullable ? $"coalesce({condition}, false)" : condition;

    /// <summary><c>run_no [NOT] IN (the runs whose row for this key matches)</c>.</summary>
    private string Has(Field field, string condition, bool negated = false) =>
        Has(field, condition, field.Kind switch
        {
            FieldKind.Metric => tables.MetricSeries,
            FieldKind.Param => tables.Params,
            FieldKind.Tag => tables.Tags,
            _ => tables.Datasets,
        }, negated);

    private string Has(Field field, string condition, string table, bool negated = false)
    {
        var keyColumn = field.Kind == FieldKind.Dataset ? "name" : "key";
        var where = $"{keyColumn} = {parameters.Add(field.Key)}" + (condition.Length > 0 ? $" AND {condition}" : "");
        return $"{runNo} {(negated ? "NOT IN" : "IN")} (SELECT run_no FROM {table} WHERE {where})";
    }

    private static double Number(Field field, Literal literal) =>
        literal.Number ?? throw new SearchSyntaxException($"{field} is a number; compare it with a number, not '{literal.Text}'", literal.Position);

    private static string Text(Field field, Literal literal, string rule) =>
        literal.Text ?? throw new SearchSyntaxException($"{field}: {rule}", literal.Position);

    private static int Version(Literal literal)
    {
        var number = literal.Number ?? (double.TryParse(literal.Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : double.NaN);
        return number is >= 1 and <= int.MaxValue && number == Math.Floor(number)
            ? (int)number
            : throw new SearchSyntaxException($"a dataset version is a whole number from 1, not {literal}", literal.Position);
    }

    private static DateTime Time(Field field, Literal literal)
    {
        if (literal.Number is { } milliseconds)
        {
            return double.IsFinite(milliseconds) && Math.Abs(milliseconds) < 8.64e15
                ? DateTime.UnixEpoch.AddMilliseconds(milliseconds)
                : throw new SearchSyntaxException($"{field}: {literal} is not a time in milliseconds since 1970", literal.Position);
        }

        return DateTimeOffset.TryParse(literal.Text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time.UtcDateTime
            : throw new SearchSyntaxException($"{field}: '{literal.Text}' is not a time; use ISO 8601 ('2025-01-31T12:00:00Z') or milliseconds since 1970", literal.Position);
    }

    private static string AttributeText(RunAttribute attribute, Field field, Literal literal, ComparisonOperator op)
    {
        var text = Text(field, literal, "compare it with a quoted string");
        if (attribute.Name != "status" || op.IsPattern())
        {
            return text;
        }

        var status = text.ToUpperInvariant();
        return status is "RUNNING" or "FINISHED" or "FAILED" or "KILLED"
            ? status
            : throw new SearchSyntaxException($"unknown status '{text}'; a run is RUNNING, FINISHED, FAILED or KILLED", literal.Position);
    }

    private static string Sql(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Equal => "=",
        ComparisonOperator.NotEqual => "<>",
        ComparisonOperator.Less => "<",
        ComparisonOperator.LessOrEqual => "<=",
        ComparisonOperator.Greater => ">",
        ComparisonOperator.GreaterOrEqual => ">=",
        ComparisonOperator.Like => "LIKE",
        ComparisonOperator.ILike => "ILIKE",
        ComparisonOperator.NotLike => "NOT LIKE",
        _ => "NOT ILIKE",
    };
}
