using System.Data;
using Marten;
using MlPlatform.Hosting.Grpc;
using MlPlatform.Tracking.Database;
using MlPlatform.Tracking.Experiments;
using MlPlatform.Tracking.Runs;
using Npgsql;
using TrackingApi = MlPlatform.Api.Tracking.V1;

namespace MlPlatform.Tracking.Search;

/// <summary>SearchRuns: parse, translate to one parameterised query over the search tables, then load the page's runs.</summary>
internal sealed class SearchRuns(IQuerySession session, NpgsqlDataSource dataSource, TrackingTables tables, RunReader reader)
{
    public async Task<TrackingApi.SearchRunsResponse> HandleAsync(TrackingApi.SearchRunsRequest request, CancellationToken cancellationToken)
    {
        var pageSize = Paging.PageSize(request.PageSize);
        var experimentIds = await ExperimentLookup.IdsAsync(session, request.Experiments, cancellationToken);
        var fingerprint = SearchPageToken.Fingerprint(experimentIds, request.Filter, request.OrderBy, request.IncludeDeleted);
        var cursor = SearchPageToken.Decode(request.PageToken, fingerprint);

        SearchQuery query;
        try
        {
            var filter = Parse(() => Parser.ParseFilter(request.Filter), "filter", request.Filter);
            var order = Parse(() => ValidAttributes(Parser.ParseOrderBy(request.OrderBy)), "order_by", request.OrderBy);
            query = Parse(() => SearchQuery.Build(tables, filter, order, experimentIds, request.IncludeDeleted, cursor, pageSize + 1), "filter", request.Filter);
        }
        catch (FormatException)
        {
            throw Errors.InvalidArgument("page_token is not one this service issued; pass the next_page_token of the previous response.");
        }

        var (runIds, last) = await ReadPageAsync(query, pageSize, cancellationToken);
        var response = new TrackingApi.SearchRunsResponse { Runs = { await reader.GetManyAsync(runIds, cancellationToken) } };
        if (last is not null)
        {
            response.NextPageToken = new SearchPageToken(fingerprint, last.Values, last.RunNo).Encode();
        }

        return response;
    }

    private async Task<(List<string> RunIds, SearchCursor? Next)> ReadPageAsync(SearchQuery query, int pageSize, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // One snapshot for both segments, so a run that gains its sort value in between is neither
        // missed nor read twice.
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        await using (var serial = new NpgsqlCommand("SET LOCAL max_parallel_workers_per_gather = 0", connection, transaction))
        {
            // A page reads a few hundred index entries: parallel workers only add start-up time, and a
            // parallel hash join builds its table even when the other side turns out empty (measured:
            // 64 ms instead of 12 on a filter that matches nothing).
            await serial.ExecuteNonQueryAsync(cancellationToken);
        }

        var runIds = new List<string>(pageSize);
        SearchCursor? last = null;
        foreach (var segment in query.Segments)
        {
            await using var command = new NpgsqlCommand(segment.Sql, connection, transaction);
            command.Parameters.AddRange(segment.Parameters.Values.ToArray());
            await using var rows = await command.ExecuteReaderAsync(cancellationToken);
            while (await rows.ReadAsync(cancellationToken))
            {
                if (runIds.Count == pageSize)
                {
                    return (runIds, last); // a further row exists: the page ends at the previous one
                }

                runIds.Add(rows.GetString(1));
                var values = new string?[query.Columns.Count];
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = SearchCursor.Format(rows.GetValue(i + 2));
                }

                last = new SearchCursor(values, rows.GetInt64(0));
            }
        }

        return (runIds, null);
    }

    private static IReadOnlyList<OrderKey> ValidAttributes(IReadOnlyList<OrderKey> order)
    {
        foreach (var key in order.Where(k => k.Field.Kind == FieldKind.Attribute))
        {
            RunAttribute.Find(key.Field);
        }

        return order;
    }

    private static T Parse<T>(Func<T> parse, string what, string text)
    {
        try
        {
            return parse();
        }
        catch (SearchSyntaxException ex)
        {
            throw Errors.InvalidArgument($"{what} is invalid at position {ex.Position + 1}: {ex.Message}. {Pointer(text, ex.Position)}");
        }
    }

    /// <summary>The text with a ⟶ marker where the problem starts, e.g. <c>metrics.rmse &lt; ⟶AND …</c>.</summary>
    private static string Pointer(string text, int position) => $"In: {text[..position]}⟶{text[position..]}";
}
