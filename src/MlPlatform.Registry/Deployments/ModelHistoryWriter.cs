using JasperFx.Events;
using Marten;
using MassTransit;
using MlPlatform.Hosting.EventStore;
using MlPlatform.Registry.ModelCatalog;

namespace MlPlatform.Registry.Deployments;

/// <summary>
/// Records Deployments' announcements in the history of the models concerned, in the session of
/// the consumer: the replica, the history events and the consumed-message marker commit together,
/// so a redelivered message finds the marker and changes nothing twice.
/// </summary>
public sealed class ModelHistoryWriter(IDocumentSession session)
{
    /// <summary>Who the history says made these changes: the Deployments service, through its events.</summary>
    public static readonly Actor DeploymentsService = new("service:deployments", "deployments");

    private readonly Dictionary<string, IEventStream<RegisteredModel>?> _streams = new(StringComparer.Ordinal);

    public IDocumentSession Session => session;

    /// <summary>
    /// Handles a message once: a redelivery changes nothing; otherwise <paramref name="record"/>
    /// stages its changes in <see cref="Session"/>, and they commit with the consumed-message marker.
    /// </summary>
    public async Task RecordOnceAsync<TMessage>(ConsumeContext<TMessage> context, Func<TMessage, CancellationToken, Task> record)
        where TMessage : class
    {
        var cancellationToken = context.CancellationToken;
        if (await AlreadyConsumedAsync(context.MessageId, typeof(TMessage).Name, cancellationToken))
        {
            return;
        }

        await record(context.Message, cancellationToken);
        await session.SaveChangesAsync(cancellationToken);
    }

    /// <summary>True when the message was handled before (nothing to do); otherwise marks it as handled in this session.</summary>
    private async Task<bool> AlreadyConsumedAsync(Guid? messageId, string messageType, CancellationToken cancellationToken)
    {
        session.SetHeader(Actor.IdHeader, DeploymentsService.Id);
        session.SetHeader(Actor.NameHeader, DeploymentsService.Name);
        if (messageId is not { } id)
        {
            return false;
        }

        var key = id.ToString("N");
        if (await session.LoadAsync<ConsumedMessage>(key, cancellationToken) is not null)
        {
            return true;
        }

        // Insert, not upsert: a concurrent redelivery of the same message fails its commit and is retried, then skipped.
        session.Insert(new ConsumedMessage(key, messageType, DateTimeOffset.UtcNow));
        return false;
    }

    /// <summary>
    /// Locks the streams of the models a message concerns, in name order so two consumers never
    /// wait for each other. Models the Registry does not know are skipped.
    /// </summary>
    public async Task LockAsync(IEnumerable<string> models, CancellationToken cancellationToken)
    {
        foreach (var model in models.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            if (!_streams.ContainsKey(model))
            {
                var stream = await session.Events.FetchForExclusiveWriting<RegisteredModel>(model, cancellationToken);
                _streams[model] = stream.Aggregate is null ? null : stream;
            }
        }
    }

    /// <summary>Appends to the model's history when the Registry knows that version; locked by <see cref="LockAsync"/> first.</summary>
    public void Append(string model, int version, object historyEvent)
    {
        if (_streams.TryGetValue(model, out var stream) && stream?.Aggregate is { } registered && version >= 1 && version <= registered.LatestVersion)
        {
            stream.AppendOne(historyEvent);
        }
    }
}
