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
internal sealed record SortColumn(string Expression, SortType Type, bool Descending, bool Nullable);

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

/// <summary>One SELECT of a page: SELECT run_no, run_id, then one value per sort column.</summary>
internal sealed record SearchSegment(string Sql, SqlParameters Parameters);

/// <summary>
/// The SQL for one page of SearchRuns. Nulls sort last, so a page is filled from up to two
/// segments in turn: the runs that have a value in the first sort column, in index order, then
/// those that have none. The first segment walks the index of its sort key from the top and tests
/// the filter on each run_no it meets, stopping when the page is full: with a broad filter that
/// is a few hundred index entries instead of sorting every match, and with a narrow one it is a
/// scan of one index with a hash probe per entry. A keyset condition starts after the previous
/// page's last run, so pages stay stable as new runs arrive; ties break on run_no (newest first).
/// </summary>
internal sealed class SearchQuery
{
    private static readonly OrderKey[] s_defaultOrder = [new(new Field(FieldKind.Attribute, "start_time", 0), Descending: true)];

    private readonly TrackingTables _tables;
    private readonly Filter? _filter;
    private readonly IReadOnlyList<OrderKey> _order;
    private readonly IReadOnlyList<string>? _experimentIds;
    private readonly bool _includeDeleted;
    private readonly SearchCursor? _after;
    private readonly int _limit;

    private SearchQuery(
        TrackingTables tables, Filter? filter, IReadOnlyList<OrderKey> order, IReadOnlyList<string>? experimentIds, bool includeDeleted, SearchCursor? after, int limit)
    {
        (_tables, _filter, _order, _experimentIds, _includeDeleted, _after, _limit) = (tables, filter, order, experimentIds, includeDeleted, after, limit);
        var segments = new List<SearchSegment>();
        List<SortColumn>? columns = null;
        if (after is not { Values: [null, ..] }) // else the previous page ended among the runs without a first value
        {
            segments.Add(Segment(withFirstValue: true, out columns));
        }

        if (columns is null || columns[0].Nullable)
        {
            segments.Add(Segment(withFirstValue: false, out columns));
        }

        Segments = segments;
        Columns = columns;
    }

    /// <summary>The SELECTs that fill a page, in order; the next one runs only while the page is not full.</summary>
    public IReadOnlyList<SearchSegment> Segments { get; }

    public IReadOnlyList<SortColumn> Columns { get; }

    public static SearchQuery Build(
        TrackingTables tables,
        Filter? filter,
        IReadOnlyList<OrderKey> order,
        IReadOnlyList<string>? experimentIds,
        bool includeDeleted,
        SearchCursor? after,
        int limit) =>
        new(tables, filter, order.Count == 0 ? s_defaultOrder : order, experimentIds, includeDeleted, after, limit);

    private SearchSegment Segment(bool withFirstValue, out List<SortColumn> columns)
    {
        var parameters = new SqlParameters();
        var joins = new StringBuilder();
        columns = [];
        string? driver = null;
        foreach (var (key, i) in _order.Select((key, i) => (key, i)))
        {
            var alias = $"o{i}";
            columns.AddRange(Sort(key, alias, joins, parameters));
            driver ??= key.Field.Kind == FieldKind.Attribute ? "r.run_no" : $"{alias}.run_no";
        }

        var first = columns[0];
        var where = new List<string>();
        if (first.Nullable)
        {
            where.Add($"{first.Expression} IS {(withFirstValue ? "NOT NULL" : "NULL")}");
        }

        if (!_includeDeleted)
        {
            where.Add("NOT r.deleted");
        }

        // One experiment as plain equality: PostgreSQL then reads runs_by_experiment in start-time
        // order, which it does not do for = ANY(array).
        if (_experimentIds is [var experimentId])
        {
            where.Add($"r.experiment_id = {parameters.Add(experimentId)}");
        }
        else if (_experimentIds is { Count: > 0 })
        {
            where.Add($"r.experiment_id = ANY({parameters.Add(_experimentIds.ToArray())})");
        }

        if (_filter is not null)
        {
            // In the first segment the filter tests the sort key's own run_no, so PostgreSQL checks
            // it during the index walk, before fetching the run.
            where.Add(new FilterTranslator(_tables, parameters, withFirstValue ? driver! : "r.run_no").Translate(_filter));
        }

        if (withFirstValue && _after is not null)
        {
            where.Add(AfterFirst(columns, _after, parameters));
        }
        else if (_after is { Values: [null, ..] })
        {
            where.Add(After(columns, _after, 1, parameters)); // the previous page ended among the nulls
        }

        // The first column has a value in the first segment and none in the second: ordering it
        // plainly (no NULLS LAST) lets the first segment read its index in order.
        var orderBy = withFirstValue
            ? [$"{first.Expression} {Direction(first)}", .. columns.Skip(1).Select(OrderTerm)]
            : columns.Skip(1).Select(OrderTerm).ToList();
        var sql = new StringBuilder()
            .Append("SELECT r.run_no, r.run_id")
            .AppendJoin("", columns.Select(c => $", {c.Expression}"))
            .Append($"\nFROM {_tables.Runs} r{joins}")
            .Append(where.Count > 0 ? $"\nWHERE {string.Join("\n  AND ", where)}" : "")
            .Append("\nORDER BY ")
            .AppendJoin(", ", [.. orderBy, "r.run_no DESC"])
            .Append($"\nLIMIT {parameters.Add(_limit)}");
        return new SearchSegment(sql.ToString(), parameters);
    }

    private IEnumerable<SortColumn> Sort(OrderKey key, string alias, StringBuilder joins, SqlParameters parameters)
    {
        var (field, descending) = (key.Field, key.Descending);
        switch (field.Kind)
        {
            case FieldKind.Metric:
                joins.Append($"\nLEFT JOIN {_tables.MetricSeries} {alias} ON {alias}.run_no = r.run_no AND {alias}.key = {parameters.Add(field.Key)}");
                return [new($"{alias}.value", SortType.Number, descending, Nullable: true)];
            case FieldKind.Param or FieldKind.Tag:
                var table = field.Kind == FieldKind.Param ? _tables.Params : _tables.Tags;
                joins.Append($"\nLEFT JOIN {table} {alias} ON {alias}.run_no = r.run_no AND {alias}.key = {parameters.Add(field.Key)}");
                return
                [
                    new($"{alias}.num_value", SortType.Number, descending, Nullable: true),
                    new($"{alias}.value", SortType.Text, descending, Nullable: true),
                ];
            case FieldKind.Dataset:
                joins.Append($"\nLEFT JOIN {_tables.Datasets} {alias} ON {alias}.run_no = r.run_no AND {alias}.name = {parameters.Add(field.Key)}");
                return [new($"{alias}.version::bigint", SortType.Integer, descending, Nullable: true)];
            default:
                var attribute = RunAttribute.Find(field);
                return [new(attribute.Column, attribute.IsTime ? SortType.Time : SortType.Text, descending, attribute.Nullable)];
        }
    }

    private static string Direction(SortColumn column) => column.Descending ? "DESC" : "ASC";

    private static string OrderTerm(SortColumn column) => $"{column.Expression} {Direction(column)} NULLS LAST";

    // In the first segment, where the first column has a value: up to the cursor's value (a range
    // the index serves), and past it either strictly or on the later columns.
    private static string AfterFirst(List<SortColumn> columns, SearchCursor cursor, SqlParameters parameters)
    {
        var first = columns[0];
        var value = Parameter(first, cursor.Values[0]!, parameters);
        var (atOrBeyond, beyond) = first.Descending ? ("<=", "<") : (">=", ">");
        return $"{first.Expression} {atOrBeyond} {value} AND ({first.Expression} {beyond} {value} OR {After(columns, cursor, 1, parameters)})";
    }

    // Rows after the cursor in ORDER BY order from column i on, nulls last: for each column, a
    // strictly later value, or NULL (which sorts after every value), or the same value and later
    // on the next column.
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

        var value = Parameter(column, last, parameters);
        return $"({column.Expression} {(column.Descending ? "<" : ">")} {value} OR {column.Expression} IS NULL OR ({column.Expression} = {value} AND {rest}))";
    }

    // A token that does not parse was not issued by this query: FormatException says so.
    private static string Parameter(SortColumn column, string text, SqlParameters parameters) => column.Type switch
    {
        SortType.Number => parameters.Add(double.Parse(text, CultureInfo.InvariantCulture)),
        SortType.Time => parameters.Add(new DateTime(long.Parse(text, CultureInfo.InvariantCulture), DateTimeKind.Utc)),
        SortType.Integer => parameters.Add(long.Parse(text, CultureInfo.InvariantCulture)),
        _ => parameters.Add(text),
    };
}
