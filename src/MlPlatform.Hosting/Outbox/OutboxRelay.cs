using System.Diagnostics;
using System.Text.Json;
using Marten;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MlPlatform.Contracts;

namespace MlPlatform.Hosting.Outbox;

/// <summary>
/// Publishes committed outbox messages to RabbitMQ in commit order and deletes each once the
/// broker has confirmed it. Delivery is at-least-once: a crash between publish and delete
/// publishes again with the same message id, which consumers treat as a duplicate.
/// </summary>
internal sealed partial class OutboxRelay(
    IDocumentStore store,
    IBus bus,
    OutboxSignal signal,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    internal static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web);

    private const int BatchSize = 100;
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan s_publishTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan s_maxBackoff = TimeSpan.FromSeconds(15);
    private static readonly ActivitySource s_activitySource = new("MlPlatform.Outbox");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await RelayBatchAsync(stoppingToken) == BatchSize)
                {
                    continue;
                }

                backoff = TimeSpan.FromMilliseconds(250);
                await signal.WaitAsync(s_pollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogRelayFailed(logger, ex, backoff);
                await Task.Delay(backoff, stoppingToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, s_maxBackoff.Ticks));
            }
        }
    }

    private async Task<int> RelayBatchAsync(CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        var batch = await session.Query<OutboxMessage>()
            .OrderBy(m => m.Id)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);

        try
        {
            foreach (var message in batch)
            {
                await PublishAsync(message, cancellationToken);
                session.Delete(message);
            }
        }
        finally
        {
            // Forget what was published even when a later message failed, so it is not sent twice.
            await session.SaveChangesAsync(CancellationToken.None);
        }

        return batch.Count;
    }

    private async Task PublishAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var type = typeof(DatasetVersionCreated).Assembly.GetType(message.MessageType)
            ?? throw new InvalidOperationException($"Outbox message {message.Id} names unknown contract '{message.MessageType}'.");
        var payload = JsonSerializer.Deserialize(message.Payload, type, SerializerOptions)!;

        // Continue the trace of the request that committed the event.
        using var activity = s_activitySource.StartActivity($"outbox {type.Name}", ActivityKind.Internal, message.TraceParent);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_publishTimeout);
        await bus.Publish(payload, type, Pipe.Execute<PublishContext>(context => context.MessageId = message.MessageId), timeout.Token);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay could not publish; retrying in {Backoff}")]
    private static partial void LogRelayFailed(ILogger logger, Exception exception, TimeSpan backoff);
}
