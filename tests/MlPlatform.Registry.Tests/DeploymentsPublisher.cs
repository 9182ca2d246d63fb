using MassTransit;
using MlPlatform.Hosting.Messaging;

namespace MlPlatform.Registry.Tests;

/// <summary>Publishes integration events on a broker as the Deployments service would.</summary>
internal sealed class DeploymentsPublisher : IAsyncDisposable
{
    private readonly IBusControl _bus;

    private DeploymentsPublisher(IBusControl bus) => _bus = bus;

    public static async Task<DeploymentsPublisher> StartAsync(string messagingConnectionString)
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.UseBroker(new Uri(messagingConnectionString)));
        await bus.StartAsync(TestData.Cancel);
        return new DeploymentsPublisher(bus);
    }

    /// <summary>Publishes with the given message id (a redelivery reuses it), or a new one.</summary>
    public async Task<Guid> PublishAsync<T>(T message, Guid? messageId = null) where T : class
    {
        var id = messageId ?? Guid.NewGuid();
        await _bus.Publish(message, context => context.MessageId = id, TestData.Cancel);
        return id;
    }

    public ValueTask DisposeAsync() => new(_bus.StopAsync());
}

internal static class Eventually
{
    /// <summary>Reads until the result satisfies <paramref name="condition"/> (events arrive asynchronously), or fails with the last one read.</summary>
    public static async Task<T> SatisfiesAsync<T>(Func<Task<T>> read, Func<T, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var value = await read();
            if (condition(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"The condition did not hold in time; last read: {value}");
            }

            await Task.Delay(100, TestData.Cancel);
        }
    }
}
