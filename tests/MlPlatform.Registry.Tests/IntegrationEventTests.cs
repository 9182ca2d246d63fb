using MlPlatform.Contracts;
using MlPlatform.TestSupport.Services;

namespace MlPlatform.Registry.Tests;

/// <summary>ModelVersionRegistered and ModelAliasChanged leave through the durable outbox: on a real broker, and despite an outage of it.</summary>
public sealed class IntegrationEventTests(RegistryPlatformWithOwnBroker platform) : IClassFixture<RegistryPlatformWithOwnBroker>
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);
    private readonly RegistryClient _registry = platform.RegistryClient;

    [Fact]
    public async Task Registering_and_moving_aliases_publish_their_events()
    {
        var messaging = platform.Registry.MessagingConnectionString;
        await using var registered = await EventProbe<ModelVersionRegistered>.StartAsync(messaging, TestData.Cancel);
        await using var aliases = await EventProbe<ModelAliasChanged>.StartAsync(messaging, TestData.Cancel);
        var model = await _registry.NewModelAsync();
        var run = await platform.TrackingClient.NewRunAsync(datasets: [("customers", 4)], metrics: [("rmse", 0.5)]);

        var version = await _registry.RegisterAsync(model, run.RunId);
        await _registry.RegisterAsync(model, run.RunId);
        await _registry.SetAliasAsync(model, "champion", 1);
        await _registry.SetAliasAsync(model, "champion", 2);
        await _registry.SetAliasAsync(model, "champion", 2); // already there: nothing to announce
        await _registry.DeleteAliasAsync(new() { Model = model, Alias = "champion" }, cancellationToken: TestData.Cancel);

        var first = await registered.WaitForAsync(e => e.Model == model && e.Version == 1, s_timeout);
        Assert.Equal(run.RunId, first.RunId);
        Assert.Equal(["customers@4"], first.DatasetInputs);
        Assert.Equal(version.ArtifactSha256, first.ArtifactSha256);
        Assert.Equal(run.ExperimentId, first.ExperimentId);
        Assert.Equal(0.5, first.Metrics!["rmse"]);
        await registered.WaitForAsync(e => e.Model == model && e.Version == 2, s_timeout);
        await aliases.WaitForAsync(e => e.Model == model && e.NewVersion is null, s_timeout);
        Assert.Equal(
            [(null, 1), (1, 2), (2, null)],
            aliases.Deliveries.Where(d => d.Message.Model == model).Select(d => (d.Message.PreviousVersion, d.Message.NewVersion)));
    }

    [Fact]
    public async Task Events_committed_while_the_broker_is_down_are_delivered_once_it_is_back()
    {
        var broker = platform.Registry.Broker!;
        var messaging = platform.Registry.MessagingConnectionString;
        await using var registered = await EventProbe<ModelVersionRegistered>.StartAsync(messaging, TestData.Cancel);
        await using var aliases = await EventProbe<ModelAliasChanged>.StartAsync(messaging, TestData.Cancel);
        var model = await _registry.NewModelAsync();
        var run = await platform.TrackingClient.NewRunAsync();

        await broker.StopAsync();
        try
        {
            // The calls do not wait for the broker: the events wait in the outbox.
            await _registry.RegisterAsync(model, run.RunId);
            await _registry.SetAliasAsync(model, "champion", 1);
        }
        finally
        {
            await broker.StartAgainAsync(TestData.Cancel);
        }

        await registered.WaitForAsync(e => e.Model == model && e.Version == 1, s_timeout);
        var changed = await aliases.WaitForAsync(e => e.Model == model, s_timeout);
        Assert.Equal(("champion", (int?)null, (int?)1), (changed.Alias, changed.PreviousVersion, changed.NewVersion));
    }
}
