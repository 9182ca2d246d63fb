using System.Net;
using System.Net.Http.Json;
using System.Text;
using Grpc.Core;
using MlPlatform.Hosting.Security;
using Xunit;
using AccessApi = MlPlatform.Api.Access.V1;
using DatasetsApi = MlPlatform.Api.Datasets.V1;

namespace MlPlatform.Gateway.Tests;

/// <summary>API keys from creation to revocation, and what the gateway forwards to services.</summary>
public sealed class AccessTests(GatewayFactory gateway) : IClassFixture<GatewayFactory>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_created_key_is_shown_once_and_listed_without_its_secret()
    {
        var created = await gateway.CreateKeyAsync("listed", "reader");

        using var channel = gateway.ChannelWithKey(GatewayFactory.AdminApiKey);
        var listed = await new AccessApi.Access.AccessClient(channel).ListApiKeysAsync(new(), cancellationToken: Cancel);

        Assert.Matches("^mlp_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$", created.ApiKey);
        Assert.StartsWith($"mlp_{created.Key.KeyId}_", created.ApiKey, StringComparison.Ordinal);
        var key = Assert.Single(listed.Keys, k => k.KeyId == created.Key.KeyId);
        Assert.Equal(("listed", "reader", "bootstrap-admin"), (key.Name, key.Role, key.CreatedBy.KeyId));
        var secret = created.ApiKey[(created.ApiKey.LastIndexOf('_') + 1)..];
        Assert.DoesNotContain(secret, listed.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WhoAmI_answers_for_a_bearer_or_x_api_key(bool asXApiKey)
    {
        using var channel = gateway.ChannelWithKey(gateway.Keys["scorer"], asXApiKey);

        var me = await new AccessApi.Access.AccessClient(channel).WhoAmIAsync(new(), cancellationToken: Cancel);

        Assert.Equal((gateway.KeyIds["scorer"], "scorer-key", "scorer"), (me.KeyId, me.Name, me.Role));
    }

    [Fact]
    public async Task WhoAmI_answers_over_rest_too()
    {
        using var http = gateway.HttpWithKey(gateway.Keys["reader"]);

        var me = await http.GetFromJsonAsync<Dictionary<string, string>>("/api/v1/whoami", Cancel);

        Assert.Equal(gateway.KeyIds["reader"], me!["keyId"]);
    }

    [Fact]
    public async Task A_revoked_key_is_refused_at_once()
    {
        var created = await gateway.CreateKeyAsync("soon-revoked", "reader");
        using var channel = gateway.ChannelWithKey(created.ApiKey);
        var datasets = new DatasetsApi.Datasets.DatasetsClient(channel);
        await datasets.ListDatasetsAsync(new(), cancellationToken: Cancel);

        using (var admin = gateway.ChannelWithKey(GatewayFactory.AdminApiKey))
        {
            await new AccessApi.Access.AccessClient(admin).RevokeApiKeyAsync(new() { KeyId = created.Key.KeyId }, cancellationToken: Cancel);
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => datasets.ListDatasetsAsync(new(), cancellationToken: Cancel).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("mlp_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("not-a-key")]
    public async Task A_missing_or_wrong_key_is_unauthenticated_with_a_message_and_no_internals(string apiKey)
    {
        using var channel = gateway.ChannelWithKey(apiKey.Length == 0 ? null : apiKey);

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            new DatasetsApi.Datasets.DatasetsClient(channel).ListDatasetsAsync(new(), cancellationToken: Cancel).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains("API key", error.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rest_without_a_key_is_401_and_with_the_wrong_role_403()
    {
        using var anonymous = gateway.HttpWithKey(null);
        using var reader = gateway.HttpWithKey(gateway.Keys["reader"]);

        using var unauthenticated = await anonymous.GetAsync("/api/v1/datasets", Cancel);
        using var forbidden = await reader.PostAsync("/api/v1/datasets", new StringContent("{}", Encoding.UTF8, "application/json"), Cancel);
        using var allowed = await reader.GetAsync("/api/v1/datasets", Cancel);

        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Contains("contributor", await forbidden.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public async Task Services_get_a_signed_identity_and_never_the_key_or_a_callers_own_identity_header()
    {
        var forged = "v1.forged.signature";
        using var channel = gateway.ChannelWithKey(gateway.Keys["contributor"], headers: h => h.TryAddWithoutValidation(PlatformIdentity.Header, forged));

        await new DatasetsApi.Datasets.DatasetsClient(channel).ListDatasetsAsync(new(), cancellationToken: Cancel);

        var headers = gateway.Stub.LastHeaders!;
        Assert.False(headers.ContainsKey("authorization"));
        Assert.False(headers.ContainsKey("x-api-key"));
        var token = Assert.Single(headers[PlatformIdentity.Header].ToArray());
        var identity = IdentityToken.Verify(token!, DateTimeOffset.UtcNow, Encoding.UTF8.GetBytes(gateway.IdentitySigningKey), out _);
        Assert.Equal(new PlatformIdentity(gateway.KeyIds["contributor"], "contributor-key", "contributor"), identity);
    }

    [Fact]
    public async Task Health_is_open_without_a_key()
    {
        using var http = gateway.HttpWithKey(null);

        using var response = await http.GetAsync("/alive", Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("", "reader")]
    [InlineData("Bad Name", "reader")]
    [InlineData("ok", "superuser")]
    public async Task Creating_a_key_validates_name_and_role(string name, string role)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => gateway.CreateKeyAsync(name, role));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public async Task Creating_a_key_that_has_already_expired_is_refused()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => gateway.CreateKeyAsync("past", "reader", DateTimeOffset.UtcNow.AddMinutes(-1)));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }
}
