using Marten;
using Marten.Linq.MatchesSql;
using MlPlatform.Api.Datasets.V1;
using MlPlatform.Hosting.Grpc;
using Dataset = MlPlatform.Datasets.DatasetCatalog.Dataset;

namespace MlPlatform.Datasets.BrowsingDatasets;

internal static class ListDatasetsHandler
{
    /// <summary>By name, a page at a time; the page token is the last name returned.</summary>
    public static async Task<(IReadOnlyList<Dataset> Page, string NextPageToken)> HandleAsync(
        IQuerySession session, ListDatasetsRequest request, CancellationToken cancellationToken)
    {
        var pageSize = Paging.PageSize(request.PageSize);
        var after = Paging.After(request.PageToken) ?? string.Empty;
        // Marten translates CompareTo to SQL '>', in the same collation as the ORDER BY below: what keyset paging needs.
        var query = session.Query<Dataset>()
            .Where(d => d.Id.StartsWith(request.NamePrefix) && d.Id.CompareTo(after) > 0);

        if (request.Tag.Length > 0)
        {
            var (key, value) = request.Tag.Split('=', 2) is [var k, var v] ? (k, v) : (request.Tag, null);
            // Marten's LINQ does not reach into dictionaries; these are the jsonb equivalents.
            query = value is null
                ? query.Where(d => d.MatchesSql("jsonb_exists(d.data -> 'Tags', ?)", key))
                : query.Where(d => d.MatchesSql("d.data -> 'Tags' ->> ? = ?", key, value));
        }

        var page = await query.OrderBy(d => d.Id).Take(pageSize + 1).ToListAsync(cancellationToken);
        return page.Count > pageSize
            ? (page.Take(pageSize).ToList(), Paging.Token(page[pageSize - 1].Id))
            : (page, string.Empty);
    }
}
