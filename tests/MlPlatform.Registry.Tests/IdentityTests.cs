using Grpc.Core;
using MlPlatform.Hosting.Security;

namespace MlPlatform.Registry.Tests;

/// <summary>The Registry answers only calls with a gateway-signed identity, records it, and carries it on to Tracking.</summary>
public sealed class IdentityTests(RegistryPlatform platform)
{
    [Fact]
    public async Task A_call_without_an_identity_is_refused()
    {
        using var channel = platform.Registry.CreateChannel(identity: null);

        await Expect.Status(StatusCode.Unauthenticated, () => new RegistryClient(channel).ListRegisteredModelsAsync(new()).ResponseAsync);
    }

    [Fact]
    public async Task The_callers_identity_is_recorded_and_forwarded_to_Tracking()
    {
        var someone = new PlatformIdentity("k7", "someone", "contributor");
        using var channel = platform.Registry.CreateChannel(() => platform.Registry.SignIdentity(someone));
        var registry = new RegistryClient(channel);
        var model = await registry.NewModelAsync();
        var run = await platform.TrackingClient.NewRunAsync();

        await registry.RegisterAsync(model, run.RunId); // Tracking refuses calls without an identity: this one carried the caller's

        var history = await registry.GetModelHistoryAsync(new() { Name = model }, cancellationToken: TestData.Cancel);
        Assert.All(history.Events, e => Assert.Equal(("k7", "someone"), (e.Actor.KeyId, e.Actor.Name)));
    }
}
