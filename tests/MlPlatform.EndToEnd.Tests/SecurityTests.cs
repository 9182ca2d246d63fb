using System.Net;
using System.Text;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using MlPlatform.Hosting.Security;
using Xunit;
using AccessApi = MlPlatform.Api.Access.V1;
using DatasetsApi = MlPlatform.Api.Datasets.V1;
using RegistryApi = MlPlatform.Api.Registry.V1;

namespace MlPlatform.EndToEnd.Tests;

/// <summary>
/// The real stack: keys and roles at the gateway, services that refuse anything the gateway did not
/// sign, size limits on a real server, and the caller's key recorded in history.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class SecurityTests(PlatformFixture platform)
{
    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromMinutes(1)).Token;

    [Theory]
    [InlineData("datasets")]
    [InlineData("tracking")]
    [InlineData("registry")]
    [InlineData("builds")]
    [InlineData("deployments")]
    public async Task A_direct_call_to_a_service_bypassing_the_gateway_is_refused(string service)
    {
        using var channel = platform.ServiceChannel(service);

        var error = await Assert.ThrowsAsync<RpcException>(() => ServiceCalls.ListAsync(channel, service, headers: null, Timeout));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Theory]
    [InlineData("datasets")]
    [InlineData("registry")]
    public async Task A_direct_call_with_a_forged_or_expired_identity_is_refused_but_a_genuine_one_is_not(string service)
    {
        using var channel = platform.ServiceChannel(service);
        var someone = new PlatformIdentity("k", "someone", "admin");
        var forged = IdentityToken.Sign(someone, DateTimeOffset.UtcNow.AddMinutes(1), Encoding.UTF8.GetBytes("not-the-platform-secret-0123456789abcdef"));
        var expired = IdentityToken.Sign(someone, DateTimeOffset.UtcNow.AddSeconds(-1), Encoding.UTF8.GetBytes(platform.IdentitySigningKey));
        var genuine = IdentityToken.Sign(someone, DateTimeOffset.UtcNow.AddMinutes(1), Encoding.UTF8.GetBytes(platform.IdentitySigningKey));

        var forgedError = await Assert.ThrowsAsync<RpcException>(() => ServiceCalls.ListAsync(channel, service, new() { { PlatformIdentity.Header, forged } }, Timeout));
        var expiredError = await Assert.ThrowsAsync<RpcException>(() => ServiceCalls.ListAsync(channel, service, new() { { PlatformIdentity.Header, expired } }, Timeout));
        await ServiceCalls.ListAsync(channel, service, new() { { PlatformIdentity.Header, genuine } }, Timeout);

        Assert.Equal((StatusCode.Unauthenticated, StatusCode.Unauthenticated), (forgedError.StatusCode, expiredError.StatusCode));
    }

    [Fact]
    public async Task The_history_shows_the_key_that_made_the_change_through_the_client_library()
    {
        var contributor = await CreateKeyAsync("e2e-contributor", "contributor");
        await using var services = new ServiceCollection()
            .AddMlPlatformClient(o =>
            {
                o.Address = platform.GatewayGrpcAddress;
                o.ApiKey = contributor.ApiKey;
            })
            .BuildServiceProvider();
        var datasets = services.GetRequiredService<DatasetsApi.Datasets.DatasetsClient>();
        var me = await services.GetRequiredService<AccessApi.Access.AccessClient>().WhoAmIAsync(new(), cancellationToken: Timeout);

        await datasets.CreateDatasetAsync(new() { Name = "audited" }, cancellationToken: Timeout);
        var history = await datasets.GetDatasetHistoryAsync(new() { Name = "audited" }, cancellationToken: Timeout);

        Assert.Equal((contributor.Key.KeyId, "e2e-contributor", "contributor"), (me.KeyId, me.Name, me.Role));
        var created = Assert.Single(history.Events);
        Assert.Equal((contributor.Key.KeyId, "e2e-contributor"), (created.Actor.KeyId, created.Actor.Name));
        Assert.NotEmpty(created.CorrelationId);
    }

    [Fact]
    public async Task Roles_are_enforced_on_the_real_stack()
    {
        var reader = await CreateKeyAsync("e2e-reader", "reader");
        using var readerChannel = platform.GatewayChannel(reader.ApiKey);
        using var anonymous = platform.GatewayChannel(null);
        var registry = new RegistryApi.Registry.RegistryClient(readerChannel);

        await registry.ListRegisteredModelsAsync(new(), cancellationToken: Timeout);
        var denied = await Assert.ThrowsAsync<RpcException>(() => registry.CreateRegisteredModelAsync(new() { Name = "not-allowed" }, cancellationToken: Timeout).ResponseAsync);
        var unauthenticated = await Assert.ThrowsAsync<RpcException>(() =>
            new RegistryApi.Registry.RegistryClient(anonymous).ListRegisteredModelsAsync(new(), cancellationToken: Timeout).ResponseAsync);
        using var http = new HttpClient { BaseAddress = platform.GatewayHttp.BaseAddress };
        using var rest = await http.GetAsync("/api/v1/models", Timeout);

        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, unauthenticated.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, rest.StatusCode);
    }

    [Fact]
    public async Task A_revoked_key_is_refused_at_once()
    {
        var key = await CreateKeyAsync("e2e-revoked", "reader");
        using var channel = platform.GatewayChannel(key.ApiKey);
        var datasets = new DatasetsApi.Datasets.DatasetsClient(channel);
        await datasets.ListDatasetsAsync(new(), cancellationToken: Timeout);

        await new AccessApi.Access.AccessClient(platform.Gateway).RevokeApiKeyAsync(new() { KeyId = key.Key.KeyId }, cancellationToken: Timeout);

        var error = await Assert.ThrowsAsync<RpcException>(() => datasets.ListDatasetsAsync(new(), cancellationToken: Timeout).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task An_over_size_message_is_refused_without_harming_the_next_call()
    {
        var datasets = new DatasetsApi.Datasets.DatasetsClient(platform.Gateway);

        var error = await Assert.ThrowsAsync<RpcException>(() => datasets.CreateDatasetAsync(
            new() { Name = "too-big", Description = new string('x', 5 << 20) }, cancellationToken: Timeout).ResponseAsync);
        await datasets.CreateDatasetAsync(new() { Name = "just-right" }, cancellationToken: Timeout);

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task A_streamed_upload_larger_than_the_route_limit_goes_through()
    {
        var datasets = new DatasetsApi.Datasets.DatasetsClient(platform.Gateway);
        await datasets.CreateDatasetAsync(new() { Name = "large-upload" }, cancellationToken: Timeout);
        var rows = new StringBuilder("n,x\n");
        for (var i = 0; rows.Length < 512 * 1024; i++)
        {
            rows.Append(i).Append(',').Append(i * 0.5).Append('\n');
        }

        var chunk = ByteString.CopyFrom(rows.ToString()[4..], Encoding.UTF8);
        using var upload = datasets.UploadDatasetVersion(cancellationToken: Timeout);
        await upload.RequestStream.WriteAsync(new() { Header = new() { Dataset = "large-upload", Format = DatasetsApi.DatasetFormat.Csv } }, Timeout);
        await upload.RequestStream.WriteAsync(new() { Chunk = ByteString.CopyFrom("n,x\n", Encoding.UTF8) }, Timeout);
        for (var i = 0; i < 12; i++)
        {
            await upload.RequestStream.WriteAsync(new() { Chunk = chunk }, Timeout);
        }

        await upload.RequestStream.CompleteAsync();
        var uploaded = await upload;

        Assert.True(uploaded.Version.SizeBytes > 5 << 20);
    }

    private async Task<AccessApi.CreateApiKeyResponse> CreateKeyAsync(string name, string role) =>
        await new AccessApi.Access.AccessClient(platform.Gateway).CreateApiKeyAsync(new() { Name = name, Role = role }, cancellationToken: Timeout);
}
