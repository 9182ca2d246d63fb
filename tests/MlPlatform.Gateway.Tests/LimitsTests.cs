using Grpc.Core;
using Xunit;
using DatasetsApi = MlPlatform.Api.Datasets.V1;

namespace MlPlatform.Gateway.Tests;

/// <summary>
/// Per-key rate limits and a service that is down, at the gateway. (Request size limits need a real
/// Kestrel — the in-memory server does not enforce them — so the end-to-end tests check those.)
/// </summary>
public sealed class LimitsTests(LimitsGatewayFactory gateway) : IClassFixture<LimitsGatewayFactory>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_rate_limit_trips_with_resource_exhausted_and_retry_after_then_recovers()
    {
        var key = await gateway.CreateKeyAsync("busy", "reader");
        var other = await gateway.CreateKeyAsync("calm", "reader");
        using var channel = gateway.ChannelWithKey(key.ApiKey);
        using var otherChannel = gateway.ChannelWithKey(other.ApiKey);
        var datasets = new DatasetsApi.Datasets.DatasetsClient(channel);

        RpcException? refused = null;
        for (var i = 0; i < LimitsGatewayFactory.Calls * 3 && refused is null; i++)
        {
            refused = await TryAsync(() => datasets.ListDatasetsAsync(new(), cancellationToken: Cancel).ResponseAsync);
        }

        Assert.NotNull(refused);
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.True(int.Parse(refused.Header("retry-after")!, System.Globalization.CultureInfo.InvariantCulture) >= 1);
        // Another key has a bucket of its own.
        await new DatasetsApi.Datasets.DatasetsClient(otherChannel).ListDatasetsAsync(new(), cancellationToken: Cancel);

        await Task.Delay(TimeSpan.FromSeconds(1.2), Cancel);
        await datasets.ListDatasetsAsync(new(), cancellationToken: Cancel);
    }

    [Fact]
    public async Task A_service_that_is_down_is_unavailable_without_its_address()
    {
        var key = await gateway.CreateKeyAsync("builds-reader", "reader");
        using var channel = gateway.ChannelWithKey(key.ApiKey);

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            new MlPlatform.Api.Builds.V1.Builds.BuildsClient(channel).ListTrainingJobsAsync(new(), cancellationToken: Cancel).ResponseAsync);

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Contains("builds", error.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", error.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("localhost", error.Status.Detail, StringComparison.Ordinal);
    }

    private static async Task<RpcException?> TryAsync(Func<Task> call)
    {
        try
        {
            await call();
            return null;
        }
        catch (RpcException e)
        {
            return e;
        }
    }
}
