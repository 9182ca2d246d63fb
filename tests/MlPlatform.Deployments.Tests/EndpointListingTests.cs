using Grpc.Core;
using MlPlatform.TestSupport.Services;
using Xunit;

namespace MlPlatform.Deployments.Tests;

public sealed class DeploymentsFactory : ServiceFactory<Program>;

public sealed class EndpointListingTests(DeploymentsFactory deployments) : IClassFixture<DeploymentsFactory>
{
    private readonly Api.Deployments.V1.Deployments.DeploymentsClient _client = new(deployments.Channel);

    [Fact]
    public async Task A_new_platform_has_no_endpoints()
    {
        var response = await _client.ListEndpointsAsync(new());

        Assert.Empty(response.Endpoints);
        Assert.Empty(response.NextPageToken);
    }

    [Fact]
    public async Task A_negative_page_size_is_refused()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _client.ListEndpointsAsync(new() { PageSize = -1 }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }
}
