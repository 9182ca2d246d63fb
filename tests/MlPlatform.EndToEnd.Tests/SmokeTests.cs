using System.Net;
using System.Text.Json;
using Grpc.Health.V1;
using Xunit;
using RegistryApi = MlPlatform.Api.Registry.V1;

namespace MlPlatform.EndToEnd.Tests;

/// <summary>The stack starts, every part is healthy, and the gateway routes to every service.</summary>
[Collection(PlatformCollection.Name)]
public sealed class SmokeTests(PlatformFixture platform)
{
    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromMinutes(1)).Token;

    [Theory]
    [InlineData("postgres")]
    [InlineData("messaging")]
    [InlineData("datasets")]
    [InlineData("tracking")]
    [InlineData("registry")]
    [InlineData("builds")]
    [InlineData("deployments")]
    [InlineData("gateway")]
    public async Task Every_resource_becomes_healthy(string resource)
    {
        await platform.App.ResourceNotifications.WaitForResourceHealthyAsync(resource, Timeout);
    }

    [Theory]
    [InlineData("datasets", "mlplatform.datasets.v1.Datasets")]
    [InlineData("tracking", "mlplatform.tracking.v1.Tracking")]
    [InlineData("registry", "mlplatform.registry.v1.Registry")]
    [InlineData("builds", "mlplatform.builds.v1.Builds")]
    [InlineData("deployments", "mlplatform.deployments.v1.Deployments")]
    public async Task Every_service_reports_serving_over_grpc_health(string resource, string grpcService)
    {
        using var channel = platform.ServiceChannel(resource);
        var health = new Health.HealthClient(channel);

        var reply = await health.CheckAsync(new HealthCheckRequest { Service = grpcService }, cancellationToken: Timeout);

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
    }

    [Fact]
    public async Task Gateway_routes_a_grpc_call_to_every_service()
    {
        // Each call throws unless the gateway routed it and the service answered.
        foreach (var service in PlatformFixture.Services)
        {
            await ServiceCalls.ListAsync(platform.Gateway, service, headers: null, Timeout);
        }
    }

    [Fact]
    public async Task Gateway_routes_a_grpc_call_that_changes_state_and_reads_it_back()
    {
        var registry = new RegistryApi.Registry.RegistryClient(platform.Gateway);

        await registry.CreateRegisteredModelAsync(new() { Name = "smoke-model", Description = "created through the gateway" }, cancellationToken: Timeout);
        var model = await registry.GetRegisteredModelAsync(new() { Name = "smoke-model" }, cancellationToken: Timeout);

        Assert.Equal("created through the gateway", model.Description);
    }

    [Theory]
    [InlineData("/api/v1/datasets", "datasets")]
    [InlineData("/api/v1/experiments", "experiments")]
    [InlineData("/api/v1/models", "models")]
    [InlineData("/api/v1/training-jobs", "jobs")]
    [InlineData("/api/v1/endpoints", "endpoints")]
    public async Task Gateway_serves_rest_through_json_transcoding(string path, string listField)
    {
        using var response = await platform.GatewayHttp.GetAsync(path, Timeout);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Timeout));
        Assert.Equal(JsonValueKind.Object, json.RootElement.ValueKind);
        // Transcoding omits empty repeated fields, so only a non-empty list must be an array.
        if (json.RootElement.TryGetProperty(listField, out var list))
        {
            Assert.Equal(JsonValueKind.Array, list.ValueKind);
        }
    }

    [Fact]
    public async Task Gateway_health_reports_every_downstream_service()
    {
        using var response = await platform.GatewayHttp.GetAsync("/health/services", Timeout);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Timeout));

        var services = json.RootElement.GetProperty("services");
        foreach (var service in PlatformFixture.Services)
        {
            Assert.Equal("Healthy", services.GetProperty(service).GetProperty("status").GetString());
        }
    }
}
