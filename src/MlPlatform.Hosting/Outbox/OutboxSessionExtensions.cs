using System.Diagnostics;
using System.Text.Json;
using Marten;

namespace MlPlatform.Hosting.Outbox;

public static class OutboxSessionExtensions
{
    /// <summary>
    /// Queues an integration event to be published once this session commits — and only then.
    /// It is written in the same transaction as the session's events, so a broker outage delays
    /// it but never loses it.
    /// </summary>
    public static void PublishAfterCommit<T>(this IDocumentSession session, T integrationEvent) where T : class
    {
        session.Store(new OutboxMessage
        {
            MessageId = Guid.CreateVersion7(),
            MessageType = typeof(T).FullName!,
            Payload = JsonSerializer.Serialize(integrationEvent, OutboxRelay.SerializerOptions),
            TraceParent = Activity.Current?.Id,
            CreatedAt = DateTimeOffset.UtcNow,
        });
    }
}
