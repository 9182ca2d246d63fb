using Marten;
using MlPlatform.Api.Registry.V1;
using MlPlatform.Hosting.Grpc;
using MlPlatform.Registry.ModelCatalog;
using RegisteredModel = MlPlatform.Registry.ModelCatalog.RegisteredModel;

namespace MlPlatform.Registry.Browsing;

internal static class ListRegisteredModelsHandler
{
    /// <summary>By name, a page at a time; the page token is the last name returned.</summary>
    public static async Task<(IReadOnlyList<RegisteredModel> Page, string NextPageToken)> HandleAsync(
        IQuerySession session, ListRegisteredModelsRequest request, CancellationToken cancellationToken)
    {
        var pageSize = Paging.PageSize(request.PageSize);
        var after = Paging.After(request.PageToken) ?? string.Empty;
        // Marten translates CompareTo to SQL '>', in the same collation as the ORDER BY below: what keyset paging needs.
        var page = await session.Query<RegisteredModel>()
            .Where(m => m.Id.StartsWith(request.NamePrefix) && m.Id.CompareTo(after) > 0)
            .WhereTag(request.Tag)
            .OrderBy(m => m.Id)
            .Take(pageSize + 1)
            .ToListAsync(cancellationToken);
        return page.Count > pageSize
            ? (page.Take(pageSize).ToList(), Paging.Token(page[pageSize - 1].Id))
            : (page, string.Empty);
    }
}
