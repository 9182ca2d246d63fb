using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using JasperFx.Events;
using Marten;
using MlPlatform.Api.Common.V1;
using MlPlatform.Api.Registry.V1;
using MlPlatform.Hosting.Grpc;
using MlPlatform.Registry.ModelCatalog;

namespace MlPlatform.Registry.History;

internal static class GetModelHistoryHandler
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    /// <summary>The model's events in stream order, a page at a time; the page token is the last stream version returned.</summary>
    public static async Task<GetModelHistoryResponse> HandleAsync(IQuerySession session, GetModelHistoryRequest request, CancellationToken cancellationToken)
    {
        var model = await Catalog.FindModelAsync(session, request.Name, cancellationToken);
        var pageSize = Paging.PageSize(request.PageSize);
        var after = PageTokens.ParseNumber(request.PageToken) ?? 0;

        var events = await session.Events.QueryAllRawEvents()
            .Where(e => e.StreamKey == model.Id && e.Version > after)
            .OrderBy(e => e.Version)
            .Take(pageSize + 1)
            .ToListAsync(cancellationToken);

        var response = new GetModelHistoryResponse();
        response.Events.AddRange(events.Take(pageSize).Select(ToHistoryEvent));
        if (events.Count > pageSize)
        {
            response.NextPageToken = PageTokens.FromNumber(events[pageSize - 1].Version);
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
