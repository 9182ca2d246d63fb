using Marten;
using MlPlatform.Api.Registry.V1;
using MlPlatform.Hosting.EventStore;
using MlPlatform.Hosting.Grpc;
using MlPlatform.Registry.ModelCatalog;

namespace MlPlatform.Registry.History;

internal static class GetModelHistoryHandler
{
    /// <summary>The model's events in stream order, a page at a time; the page token is the last stream version returned.</summary>
    public static async Task<GetModelHistoryResponse> HandleAsync(IQuerySession session, GetModelHistoryRequest request, CancellationToken cancellationToken)
    {
        var model = await Catalog.FindModelAsync(session, request.Name, cancellationToken);
        var pageSize = Paging.PageSize(request.PageSize);
        var after = PageTokens.ParseNumber(request.PageToken) ?? 0;

        var (events, continueAfter) = await StreamHistory.ReadPageAsync(session, model.Id, after, pageSize, cancellationToken);

        var response = new GetModelHistoryResponse();
        response.Events.AddRange(events);
        if (continueAfter is { } version)
        {
            response.NextPageToken = PageTokens.FromNumber(version);
        }

        return response;
    }
}
