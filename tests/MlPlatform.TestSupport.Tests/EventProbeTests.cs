using MassTransit;
using MlPlatform.Hosting.Messaging;
using MlPlatform.TestSupport.Services;

namespace MlPlatform.TestSupport.Tests;

/// <summary>The probe's exactly-once check must fail when a second match arrives, or the event tests that use it prove nothing.</summary>
public sealed class EventProbeTests
{
    public sealed record Ping(string Key);

    [Fact]
    public async Task WaitForOnlyAsync_returns_the_only_match_and_fails_when_a_second_one_arrives()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var rabbitMq = (await SharedInfrastructure.GetAsync()).RabbitMq;
        var messaging = await rabbitMq.CreateVirtualHostAsync("event-probe", cancellationToken);
        await using var probe = await EventProbe<Ping>.StartAsync(messaging, cancellationToken);
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.UseBroker(new Uri(messaging)));
        await bus.StartAsync(cancellationToken);
        try
        {
            await bus.Publish(new Ping("once"), cancellationToken);
            await bus.Publish(new Ping("twice"), cancellationToken);
            await bus.Publish(new Ping("twice"), cancellationToken);

            var once = await probe.WaitForOnlyAsync(ping => ping.Key == "once", TimeSpan.FromSeconds(30));
            var twice = await Assert.ThrowsAsync<InvalidOperationException>(
                () => probe.WaitForOnlyAsync(ping => ping.Key == "twice", TimeSpan.FromSeconds(30)));

            Assert.Equal(new Ping("once"), once.Message);
            Assert.StartsWith("Expected one matching Ping, but 2 arrived", twice.Message, StringComparison.Ordinal);
        }
        finally
        {
            await bus.StopAsync(CancellationToken.None);
        }
    }
}
