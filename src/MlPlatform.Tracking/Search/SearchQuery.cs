using System.Globalization;
using System.Text;
using MlPlatform.Tracking.Database;

namespace MlPlatform.Tracking.Search;

internal enum SortType
{
    Number,
    Text,
    Time,
    Integer,
}

/// <summary>One ORDER BY column; params and tags sort by two (numbers numerically, then the rest as text).</summary>
internal sealed record SortColumn(string Expression, SortType Type, bool Descending);

/// <summary>
/// Where the previous page ended: its last run's sort values in invariant text (null where it had
/// none) and its run_no.
/// </summary>
internal sealed record SearchCursor(IReadOnlyList<string?> Values, long RunNo)
{
    public static string? Format(object? value) => value switch
    {
        null or DBNull => null,
        double number => number.ToString("R", CultureInfo.InvariantCulture),
        DateTime time => time.Ticks.ToString(CultureInfo.InvariantCulture),
        long integer => integer.ToString(CultureInfo.InvariantCulture),
        _ => (string)value,
    };
}

/// <summary>
/// The SQL for one page of SearchRuns: the scope, the filter, a LEFT JOIN per ordered key, and a
/// keyset condition that starts after the previous page's last run — so pages stay stable as new
/// runs arrive. Ties break on run_no (newest first), which makes the order total.
/// </summary>
internal sealed class SearchQuery
{
    private static readonly OrderKey[] s_defaultOrder = [new(new Field(FieldKind.Attribute, "start_time", 0), Descending: true)];

    private SearchQuery(string sql, SqlParameters parameters, IReadOnlyList<SortColumn> columns)
    {
        Sql = sql;
        Parameters = parameters;
        Columns = columns;
    }

    /// <summary>SELECT run_no, run_id, then one value per sort column.</summary>
    public string Sql { get; }

    public SqlParameters Parameters { get; }

    public IReadOnlyList<SortColumn> Columns { get; }

    public static SearchQuery Build(
        TrackingTables tables,
        Filter? filter,
        IReadOnlyList<OrderKey> order,
        IReadOnlyList<string>? experimentIds,
        bool includeDeleted,
        SearchCursor? after,
        int limit)
    {
        var parameters = new SqlParameters();
        var joins = new StringBuilder();
        var columns = new List<SortColumn>();
        foreach (var (key, i) in (order.Count == 0 ? s_defaultOrder : order).Select((key, i) => (key, i)))
        {
            columns.AddRange(Sort(tables, key, $"o{i}", joins, parameters));
        }

        var where = new List<string>();
        if (!includeDeleted)
        {
            where.Add("NOT r.deleted");
        }

        if (experimentIds is { Count: > 0 })
        {
            where.Add($"r.experiment_id = ANY({parameters.Add(experimentIds.ToArray())})");
        }

        if (filter is not null)
        {
            where.Add(new FilterTranslator(tables, parameters).Translate(filter));
        }

        if (after is not null)
        {
            where.Add(After(columns, after, 0, parameters));
        }

        var sql = new StringBuilder()
            .Append("SELECT r.run_no, r.run_id")
            .AppendJoin("", columns.Select(c => $", {c.Expression}"))
            .Append($"\nFROM {tables.Runs} r{joins}")
            .Append(where.Count > 0 ? $"\nWHERE {string.Join("\n  AND ", where)}" : "")
            .Append("\nORDER BY ")
            .AppendJoin(", ", columns.Select(c => $"{c.Expression} {(c.Descending ? "DESC" : "ASC")} NULLS LAST"))
            .Append($", r.run_no DESC\nLIMIT {parameters.Add(limit)}");
        return new SearchQuery(sql.ToString(), parameters, columns);
    }

    private static IEnumerable<SortColumn> Sort(TrackingTables tables, OrderKey key, string alias, StringBuilder joins, SqlParameters parameters)
    {
        var (field, descending) = (key.Field, key.Descending);
        switch (field.Kind)
        {
            case FieldKind.Metric:
                joins.Append($"\nLEFT JOIN {tables.MetricSeries} {alias} ON {alias}.run_no = r.run_no AND {alias}.key = {parameters.Add(field.Key)}");
                return [new($"{alias}.value", SortType.Number, descending)];
            case FieldKind.Param or FieldKind.Tag:
                var table = field.Kind == FieldKind.Param ? tables.Params : tables.Tags;
                joins.Append($"\nLEFT JOIN {table} {alias} ON {alias}.run_no = r.run_no AND {alias}.key = {parameters.Add(field.Key)}");
                return [new($"{alias}.num_value", SortType.Number, descending), new($"{alias}.value", SortType.Text, descending)];
            case FieldKind.Dataset:
                joins.Append($"\nLEFT JOIN {tables.Datasets} {alias} ON {alias}.run_no = r.run_no AND {alias}.name = {parameters.Add(field.Key)}");
                return [new($"{alias}.version::bigint", SortType.Integer, descending)];
            default:
                var attribute = RunAttribute.Find(field);
                return [new(attribute.Column, attribute.IsTime ? SortType.Time : SortType.Text, descending)];
        }
    }

    // Rows after the cursor in ORDER BY order, nulls last: for each column, a strictly later value,
    // or NULL (which sorts after every value), or the same value and later on the next column.
    private static string After(IReadOnlyList<SortColumn> columns, SearchCursor cursor, int i, SqlParameters parameters)
    {
        if (i == columns.Count)
        {
            return $"r.run_no < {parameters.Add(cursor.RunNo)}";
        }

        var column = columns[i];
        var rest = After(columns, cursor, i + 1, parameters);
        if (cursor.Values[i] is not { } last)
        {
            return $"({column.Expression} IS NULL AND {rest})";
        }

        // A token that does not parse was not issued by this query: FormatException says so.
        var value = column.Type switch
        {
            SortType.Number => parameters.Add(double.Parse(last, CultureInfo.InvariantCulture)),
            SortType.Time => parameters.Add(new DateTime(long.Parse(last, CultureInfo.InvariantCulture), DateTimeKind.Utc)),
            SortType.Integer => parameters.Add(long.Parse(last, CultureInfo.InvariantCulture)),
            _ => parameters.Add(last),
        };
        return $"({column.Expression} {(column.Descending ? "<" : ">")} {value} OR {column.Expression} IS NULL OR ({column.Expression} = {value} AND {rest}))";
    }
}
