using System.Globalization;
using Marten;
using MlPlatform.Api.Datasets.V1;
using MlPlatform.Datasets.DatasetCatalog;
using MlPlatform.Hosting.EventStore;
using MlPlatform.Hosting.Grpc;

namespace MlPlatform.Datasets.ReadingHistory;

internal static class GetDatasetHistoryHandler
{
    /// <summary>The dataset's events in stream order, a page at a time; the page token is the last stream version returned.</summary>
    public static async Task<GetDatasetHistoryResponse> HandleAsync(IQuerySession session, GetDatasetHistoryRequest request, CancellationToken cancellationToken)
    {
        var dataset = await Catalog.FindDatasetAsync(session, request.Name, cancellationToken);
        var pageSize = Paging.PageSize(request.PageSize);
        var after = Paging.After(request.PageToken) is { } token ? PageTokens.ParseNumber(token) : 0;

        var (events, continueAfter) = await StreamHistory.ReadPageAsync(session, dataset.Id, after, pageSize, cancellationToken);

        var response = new GetDatasetHistoryResponse();
        response.Events.AddRange(events);
        if (continueAfter is { } version)
        {
            response.NextPageToken = Paging.Token(version.ToString(CultureInfo.InvariantCulture));
        }

        return response;
    }
}
