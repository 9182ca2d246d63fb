using System.Collections.Concurrent;
using MassTransit;
using MlPlatform.Hosting.Messaging;

namespace MlPlatform.TestSupport.Services;

/// <summary>
/// Listens for integration event <typeparamref name="T"/> on a real broker, the way another
/// service would, and keeps every delivery (duplicates included) for the test to inspect.
/// Its queue is durable, so it also collects what is published while the broker restarts.
/// Start it before the action that publishes.
/// </summary>
public sealed class EventProbe<T> : IAsyncDisposable where T : class
{
    /// <summary>How long <see cref="WaitForOnlyAsync"/> listens for a second match after the first.</summary>
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(2);

    private readonly ConcurrentQueue<Delivery> _deliveries = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private IBusControl? _bus;

    private EventProbe()
    {
    }

    public sealed record Delivery(Guid? MessageId, T Message);

    public IReadOnlyList<Delivery> Deliveries => [.. _deliveries];

    public static async Task<EventProbe<T>> StartAsync(string messagingConnectionString, CancellationToken cancellationToken = default)
    {
        var probe = new EventProbe<T>();
        probe._bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.UseBroker(new Uri(messagingConnectionString));
            rabbit.ReceiveEndpoint($"probe-{typeof(T).Name}-{Guid.NewGuid():N}", endpoint =>
            {
                // One at a time, so Deliveries keeps the order the broker delivered in.
                endpoint.ConcurrentMessageLimit = 1;
                endpoint.Handler<T>(context =>
                {
                    probe._deliveries.Enqueue(new Delivery(context.MessageId, context.Message));
                    probe._arrived.Release();
                    return Task.CompletedTask;
                });
            });
        });
        await probe._bus.StartAsync(cancellationToken);
        return probe;
    }

    /// <summary>Waits for the first delivery that matches, or fails with what did arrive.</summary>
    public async Task<T> WaitForAsync(Func<T, bool> match, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            if (_deliveries.FirstOrDefault(d => match(d.Message)) is { } found)
            {
                return found.Message;
            }

            try
            {
                await _arrived.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException(
                    $"No matching {typeof(T).Name} arrived within {timeout}; {_deliveries.Count} other(s) did.");
            }
        }
    }

    /// <summary>
    /// Waits for the first delivery that matches, then for a quiet period, and fails unless it stayed
    /// the only match: the exactly-once check, since a second publish or a redelivery would arrive by then.
    /// </summary>
    public async Task<Delivery> WaitForOnlyAsync(Func<T, bool> match, TimeSpan timeout)
    {
        await WaitForAsync(match, timeout);
        await Task.Delay(QuietPeriod);
        var matches = _deliveries.Where(d => match(d.Message)).ToList();
        return matches.Count == 1
            ? matches[0]
            : throw new InvalidOperationException(
                $"Expected one matching {typeof(T).Name}, but {matches.Count} arrived: {string.Join("; ", matches.Select(d => d.Message))}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_bus is not null)
        {
            await _bus.StopAsync();
        }

        _arrived.Dispose();
    }
}
