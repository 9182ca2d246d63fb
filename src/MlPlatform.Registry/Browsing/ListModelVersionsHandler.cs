using Marten;
using MlPlatform.Api.Registry.V1;
using MlPlatform.Hosting.Grpc;
using MlPlatform.Registry.Aliases;
using MlPlatform.Registry.ModelCatalog;
using ModelVersion = MlPlatform.Registry.ModelCatalog.ModelVersion;
using RegisteredModel = MlPlatform.Registry.ModelCatalog.RegisteredModel;

namespace MlPlatform.Registry.Browsing;

internal static class ListModelVersionsHandler
{
    /// <summary>Newest first, a page at a time; the page token is the last version number returned.</summary>
    public static async Task<(RegisteredModel Model, IReadOnlyList<ModelVersion> Page, string NextPageToken)> HandleAsync(
        IQuerySession session, ListModelVersionsRequest request, CancellationToken cancellationToken)
    {
        var pageSize = Paging.PageSize(request.PageSize);
        var before = (int)Math.Min(PageTokens.ParseNumber(request.PageToken) ?? int.MaxValue, int.MaxValue);
        var model = await Catalog.FindModelAsync(session, request.Model, cancellationToken);

        var query = session.Query<ModelVersion>().Where(v => v.Model == model.Id && v.Number < before).WhereTag(request.Tag);
        if (request.Alias.Length > 0)
        {
            // An alias names at most one version; one that names none yields an empty page.
            var number = await AliasResolver.TryResolveAsync(session, model, request.Alias, cancellationToken) ?? 0;
            query = query.Where(v => v.Number == number);
        }

        query = request.Status switch
        {
            ModelVersionStatus.Active => query.Where(v => !v.Deprecated),
            ModelVersionStatus.Deprecated => query.Where(v => v.Deprecated),
            ModelVersionStatus.Unspecified => query,
            _ => throw Errors.InvalidArgument($"status {(int)request.Status} is unknown; use ACTIVE, DEPRECATED or leave it unset."),
        };

        var page = await query.OrderByDescending(v => v.Number).Take(pageSize + 1).ToListAsync(cancellationToken);
        return page.Count > pageSize
            ? (model, page.Take(pageSize).ToList(), PageTokens.FromNumber(page[pageSize - 1].Number))
            : (model, page, string.Empty);
    }
}
