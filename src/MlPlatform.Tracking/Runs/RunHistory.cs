using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Google.Protobuf.WellKnownTypes;
using JasperFx.Events;
using Marten;
using MlPlatform.Hosting.EventStore;
using MlPlatform.Hosting.Grpc;
using CommonApi = MlPlatform.Api.Common.V1;
using TrackingApi = MlPlatform.Api.Tracking.V1;

namespace MlPlatform.Tracking.Runs;

/// <summary>GetRunHistory: the run's stream, event by event, with who made each change.</summary>
internal static class RunHistory
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static async Task<TrackingApi.GetRunHistoryResponse> HandleAsync(IQuerySession session, TrackingApi.GetRunHistoryRequest request, CancellationToken cancellationToken)
    {
        var runId = RunIds.Require(request.RunId);
        var pageSize = Paging.PageSize(request.PageSize);
        var after = Paging.After(request.PageToken) is { } token
            ? long.TryParse(token, CultureInfo.InvariantCulture, out var version) ? version : throw Errors.InvalidArgument("page_token is not one this service issued.")
            : 0;

        var events = await session.Events.QueryAllRawEvents()
            .Where(e => e.StreamKey == runId && e.Version > after)
            .OrderBy(e => e.Version)
            .Take(pageSize + 1)
            .ToListAsync(cancellationToken);
        if (events.Count == 0 && after == 0)
        {
            throw Errors.NotFound($"Run '{runId}' does not exist.");
        }

        var response = new TrackingApi.GetRunHistoryResponse { Events = { events.Take(pageSize).Select(ToApi) } };
        if (events.Count > pageSize)
        {
            response.NextPageToken = Paging.Token(events[pageSize - 1].Version.ToString(CultureInfo.InvariantCulture));
        }

        return response;
    }

    private static CommonApi.HistoryEvent ToApi(IEvent e) => new()
    {
        Version = e.Version,
        Type = e.EventTypeName,
        Time = Timestamp.FromDateTimeOffset(e.Timestamp),
        Actor = new CommonApi.Actor { KeyId = Header(e, Actor.IdHeader), Name = Header(e, Actor.NameHeader) },
        CorrelationId = e.CorrelationId ?? "",
        DataJson = JsonSerializer.Serialize(e.Data, e.EventType, s_json),
    };

    private static string Header(IEvent e, string name) =>
        e.Headers?.TryGetValue(name, out var value) == true ? value?.ToString() ?? "" : "";
}
