using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using JasperFx.Events;
using Marten;
using MlPlatform.Api.Common.V1;

namespace MlPlatform.Hosting.EventStore;

/// <summary>An aggregate's stream as <c>HistoryEvent</c>s, for the <c>Get…History</c> calls.</summary>
public static class StreamHistory
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Up to <paramref name="pageSize"/> events after stream version <paramref name="after"/>, in
    /// stream order, and the version to continue after when more follow (null on the last page).
    /// </summary>
    public static Task<(IReadOnlyList<HistoryEvent> Events, long? ContinueAfter)> ReadPageAsync(
        IQuerySession session, string streamKey, long after, int pageSize, CancellationToken cancellationToken) =>
        ReadPageAsync(session, streamKey, after, pageSize, s_json, cancellationToken);

    /// <summary>
    /// As the overload without <paramref name="json"/>, for a service whose event payloads need
    /// other serializer options than the web defaults in <c>DataJson</c>.
    /// </summary>
    public static async Task<(IReadOnlyList<HistoryEvent> Events, long? ContinueAfter)> ReadPageAsync(
        IQuerySession session, string streamKey, long after, int pageSize, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        var events = await session.Events.QueryAllRawEvents()
            .Where(e => e.StreamKey == streamKey && e.Version > after)
            .OrderBy(e => e.Version)
            .Take(pageSize + 1)
            .ToListAsync(cancellationToken);

        var page = events.Take(pageSize).Select(e => ToHistoryEvent(e, json)).ToList();
        return (page, events.Count > pageSize ? events[pageSize - 1].Version : null);
    }

    private static HistoryEvent ToHistoryEvent(IEvent e, JsonSerializerOptions json) => new()
    {
        Version = e.Version,
        Type = e.EventTypeName,
        Time = Timestamp.FromDateTimeOffset(e.Timestamp),
        Actor = new Api.Common.V1.Actor { KeyId = Header(e, Actor.IdHeader), Name = Header(e, Actor.NameHeader) },
        CorrelationId = e.CorrelationId ?? string.Empty,
        DataJson = JsonSerializer.Serialize(e.Data, e.EventType, json),
    };

    private static string Header(IEvent e, string name) =>
        e.Headers?.TryGetValue(name, out var value) == true ? value?.ToString() ?? string.Empty : string.Empty;
}
