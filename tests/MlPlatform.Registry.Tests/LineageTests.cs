using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using MlPlatform.Api.Registry.V1;
using MlPlatform.Contracts;

namespace MlPlatform.Registry.Tests;

/// <summary>Dataset versions → run → model version → endpoints, across Tracking, the Registry and Deployments' events.</summary>
public sealed class LineageTests(RegistryPlatform platform)
{
    private readonly RegistryClient _registry = platform.RegistryClient;

    [Fact]
    public async Task Lineage_shows_datasets_run_metrics_and_the_endpoints_serving_the_version_now_and_before()
    {
        var model = await _registry.NewModelAsync("lineage");
        var run = await platform.TrackingClient.NewRunAsync(datasets: [("customers", 2), ("orders", 5)], metrics: [("rmse", 0.31), ("mae", 0.2)]);
        await _registry.RegisterAsync(model, run.RunId);
        await _registry.RegisterAsync(model, run.RunId);

        var lineage = await LineageAsync(model, 1);
        Assert.Equal(["customers@2", "orders@5"], lineage.Datasets.Select(d => $"{d.Name}@{d.Version}"));
        Assert.Equal(run.RunId, lineage.Run.RunId);
        Assert.Equal("training", lineage.Run.RunName);
        Assert.Equal(run.ExperimentId, lineage.Run.ExperimentId);
        Assert.StartsWith("exp-", lineage.Run.ExperimentName, StringComparison.Ordinal);
        Assert.Equal(new Dictionary<string, double> { ["rmse"] = 0.31, ["mae"] = 0.2 }, lineage.Run.Metrics);
        Assert.Equal("FastTree", lineage.Run.Params["trainer"]);
        Assert.Equal(run.EndTime, lineage.Run.EndTime);
        Assert.Equal(1, lineage.ModelVersion.Version);
        Assert.Empty(lineage.Serving);
        Assert.Empty(lineage.PreviouslyServed);

        // Deployments announces: v1 on prod/blue, full traffic; then v2 replaces it; then a rollback to v1.
        var endpoint = TestData.UniqueName("prod");
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-10);
        await using var deployments = await DeploymentsPublisher.StartAsync(platform.Registry.MessagingConnectionString);
        await deployments.PublishAsync(new DeploymentRolledOut(endpoint, "blue", model, 1, t0));
        await deployments.PublishAsync(new TrafficChanged(endpoint, new Dictionary<string, int> { ["blue"] = 100 }, new Dictionary<string, int>(), t0.AddSeconds(1)));
        var serving = await Eventually.SatisfiesAsync(() => LineageAsync(model, 1), l => l.Serving.Count == 1 && l.Serving[0].HasTrafficPercent);
        Assert.Equal(endpoint, serving.Serving[0].Endpoint);
        Assert.Equal("blue", serving.Serving[0].Deployment);
        Assert.True(serving.Serving[0].Current);
        Assert.Equal(100, serving.Serving[0].TrafficPercent);
        Assert.Equal(Timestamp.FromDateTimeOffset(t0), serving.Serving[0].Since);

        var replacement = await deployments.PublishAsync(new DeploymentRolledOut(endpoint, "blue", model, 2, t0.AddSeconds(2), model, 1));
        await Eventually.SatisfiesAsync(() => LineageAsync(model, 2), l => l.Serving.Count == 1);
        var replaced = await LineageAsync(model, 1);
        Assert.Empty(replaced.Serving);
        var before = Assert.Single(replaced.PreviouslyServed);
        Assert.Equal(Timestamp.FromDateTimeOffset(t0.AddSeconds(2)), before.Until);
        Assert.False(before.Current);

        await deployments.PublishAsync(new DeploymentRolledOut(endpoint, "blue", model, 1, t0.AddSeconds(3), model, 2, Rollback: true));
        var rolledBack = await Eventually.SatisfiesAsync(() => LineageAsync(model, 1), l => l.Serving.Count == 1);
        Assert.True(rolledBack.Serving[0].Rollback);
        Assert.Equal(100, rolledBack.Serving[0].TrafficPercent); // the deployment keeps its share of traffic
        Assert.Single(rolledBack.PreviouslyServed);
        var v2 = await LineageAsync(model, 2);
        Assert.Empty(v2.Serving);
        Assert.Equal(Timestamp.FromDateTimeOffset(t0.AddSeconds(3)), Assert.Single(v2.PreviouslyServed).Until);

        // A redelivery of the replacement (same message id) and a stale announcement change nothing.
        await deployments.PublishAsync(new DeploymentRolledOut(endpoint, "blue", model, 2, t0.AddSeconds(2), model, 1), replacement);
        await deployments.PublishAsync(new DeploymentRolledOut(endpoint, "blue", model, 2, t0.AddSeconds(1)));
        await deployments.PublishAsync(new TrafficChanged(endpoint, new Dictionary<string, int> { ["blue"] = 90, ["green"] = 10 }, new Dictionary<string, int> { ["blue"] = 100 }, t0.AddSeconds(4)));
        var afterAll = await Eventually.SatisfiesAsync(() => LineageAsync(model, 1), l => l.Serving.Count == 1 && l.Serving[0].TrafficPercent == 90);
        Assert.Single(afterAll.PreviouslyServed);
        Assert.Empty((await LineageAsync(model, 2)).Serving);

        var history = await _registry.GetModelHistoryAsync(new() { Name = model }, cancellationToken: TestData.Cancel);
        var deployed = history.Events.Where(e => e.Type == "model_version_deployed").ToList();
        Assert.Equal(3, deployed.Count);
        Assert.All(deployed, e => Assert.Equal("service:deployments", e.Actor.KeyId));
        Assert.Contains("\"rollback\":true", deployed[^1].DataJson, StringComparison.Ordinal);
        Assert.Equal(2, history.Events.Count(e => e.Type == "model_version_traffic_changed"));
    }

    [Fact]
    public async Task A_deployment_removed_from_the_traffic_split_stops_serving()
    {
        var model = await platform.NewModelWithVersionsAsync(1, "removed");
        var endpoint = TestData.UniqueName("canary");
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-5);
        await using var deployments = await DeploymentsPublisher.StartAsync(platform.Registry.MessagingConnectionString);

        await deployments.PublishAsync(new DeploymentRolledOut(endpoint, "green", model, 1, t0));
        await Eventually.SatisfiesAsync(() => LineageAsync(model, 1), l => l.Serving.Count == 1);
        await deployments.PublishAsync(new TrafficChanged(endpoint, new Dictionary<string, int> { ["blue"] = 100 }, new Dictionary<string, int> { ["blue"] = 90, ["green"] = 10 }, t0.AddSeconds(1)));

        var lineage = await Eventually.SatisfiesAsync(() => LineageAsync(model, 1), l => l.Serving.Count == 0);
        Assert.Equal(Timestamp.FromDateTimeOffset(t0.AddSeconds(1)), Assert.Single(lineage.PreviouslyServed).Until);
        var history = await _registry.GetModelHistoryAsync(new() { Name = model }, cancellationToken: TestData.Cancel);
        Assert.Single(history.Events, e => e.Type == "model_version_undeployed");
    }

    [Fact]
    public async Task A_deployment_of_a_model_the_registry_does_not_know_is_recorded_without_failing()
    {
        var model = await platform.NewModelWithVersionsAsync(1, "known");
        var endpoint = TestData.UniqueName("mixed");
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-5);
        await using var deployments = await DeploymentsPublisher.StartAsync(platform.Registry.MessagingConnectionString);

        await deployments.PublishAsync(new DeploymentRolledOut(endpoint, "main", model, 1, t0));
        await Eventually.SatisfiesAsync(() => LineageAsync(model, 1), l => l.Serving.Count == 1);
        await deployments.PublishAsync(new DeploymentRolledOut(endpoint, "main", "not-registered", 3, t0.AddSeconds(1), model, 1));

        var lineage = await Eventually.SatisfiesAsync(() => LineageAsync(model, 1), l => l.Serving.Count == 0);
        Assert.Single(lineage.PreviouslyServed);
        var history = await _registry.GetModelHistoryAsync(new() { Name = model }, cancellationToken: TestData.Cancel);
        Assert.Contains(history.Events, e => e.Type == "model_version_undeployed" && e.DataJson.Contains("not-registered@3", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Lineage_of_an_unknown_version_is_not_found()
    {
        var model = await _registry.NewModelAsync();
        await Expect.Status(StatusCode.NotFound, () => _registry.GetLineageAsync(new() { Model = model, Version = 1 }).ResponseAsync, "no versions yet");
    }

    private Task<Lineage> LineageAsync(string model, int version) =>
        _registry.GetLineageAsync(new GetLineageRequest { Model = model, Version = version }, cancellationToken: TestData.Cancel).ResponseAsync;
}
