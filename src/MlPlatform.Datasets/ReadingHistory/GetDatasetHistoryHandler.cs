using System.Globalization;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using JasperFx.Events;
using Marten;
using MlPlatform.Api.Common.V1;
using MlPlatform.Api.Datasets.V1;
using MlPlatform.Datasets.DatasetCatalog;
using MlPlatform.Hosting.Grpc;

namespace MlPlatform.Datasets.ReadingHistory;

internal static class GetDatasetHistoryHandler
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    /// <summary>The dataset's events in stream order, a page at a time; the page token is the last stream version returned.</summary>
    public static async Task<GetDatasetHistoryResponse> HandleAsync(IQuerySession session, GetDatasetHistoryRequest request, CancellationToken cancellationToken)
    {
        var dataset = await Catalog.FindDatasetAsync(session, request.Name, cancellationToken);
        var pageSize = Paging.PageSize(request.PageSize);
        var after = Paging.After(request.PageToken) is { } token ? PageTokens.ParseNumber(token) : 0;

        var events = await session.Events.QueryAllRawEvents()
            .Where(e => e.StreamKey == dataset.Id && e.Version > after)
            .OrderBy(e => e.Version)
            .Take(pageSize + 1)
            .ToListAsync(cancellationToken);

        var response = new GetDatasetHistoryResponse();
        response.Events.AddRange(events.Take(pageSize).Select(ToHistoryEvent));
        if (events.Count > pageSize)
        {
            response.NextPageToken = Paging.Token(events[pageSize - 1].Version.ToString(CultureInfo.InvariantCulture));
        }

        return response;
    }

    private static HistoryEvent ToHistoryEvent(IEvent e) => new()
    {
        Version = e.Version,
        Type = e.EventTypeName,
        Time = Timestamp.FromDateTimeOffset(e.Timestamp),
        Actor = new Actor { KeyId = Header(e, Hosting.EventStore.Actor.IdHeader), Name = Header(e, Hosting.EventStore.Actor.NameHeader) },
        CorrelationId = e.CorrelationId ?? string.Empty,
        DataJson = JsonSerializer.Serialize(e.Data, e.EventType, s_json),
    };

    private static string Header(IEvent e, string name) =>
        e.Headers?.TryGetValue(name, out var value) == true ? value?.ToString() ?? string.Empty : string.Empty;
}
