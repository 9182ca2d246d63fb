using System.Globalization;
using Marten;
using MlPlatform.Api.Datasets.V1;
using MlPlatform.Datasets.DatasetCatalog;
using MlPlatform.Hosting.Grpc;
using DatasetVersion = MlPlatform.Datasets.DatasetCatalog.DatasetVersion;

namespace MlPlatform.Datasets.BrowsingDatasets;

internal static class ListDatasetVersionsHandler
{
    /// <summary>Newest first, a page at a time; the page token is the last version number returned.</summary>
    public static async Task<(IReadOnlyList<DatasetVersion> Page, string NextPageToken)> HandleAsync(
        IQuerySession session, ListDatasetVersionsRequest request, CancellationToken cancellationToken)
    {
        var pageSize = Paging.PageSize(request.PageSize);
        var before = Paging.After(request.PageToken) is { } token ? PageTokens.ParseNumber(token) : int.MaxValue;
        var dataset = await Catalog.FindDatasetAsync(session, request.Dataset, cancellationToken);

        var page = await session.Query<DatasetVersion>()
            .Where(v => v.Dataset == dataset.Id && v.Number < before)
            .OrderByDescending(v => v.Number)
            .Take(pageSize + 1)
            .ToListAsync(cancellationToken);
        return page.Count > pageSize
            ? (page.Take(pageSize).ToList(), Paging.Token(page[pageSize - 1].Number.ToString(CultureInfo.InvariantCulture)))
            : (page, string.Empty);
    }
}
