using System.Net;
using Grpc.Core;
using Grpc.Health.V1;
using MlPlatform.Hosting.Security;

namespace MlPlatform.Datasets.Tests.Api;

/// <summary>
/// No back door: a service answers only calls carrying an identity the gateway signed (here the
/// fixture plays the gateway), and records who made a change. What holds for Datasets holds for
/// every service — the checks live in MlPlatform.Hosting.
/// </summary>
public sealed class ServiceIdentityTests(DatasetsFactory service) : IClassFixture<DatasetsFactory>
{
    private static readonly PlatformIdentity s_someone = new("k1", "someone", "contributor");

    [Fact]
    public async Task A_call_without_an_identity_is_refused_as_unauthenticated()
    {
        using var channel = service.CreateChannel(identity: null);

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            new DatasetsClient(channel).ListDatasetsAsync(new()).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains("gateway", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tampered_identity_is_refused()
    {
        // Claim to be an admin by editing the payload of a genuine contributor token.
        var genuine = service.SignIdentity(s_someone);
        var parts = genuine.Split('.');
        var forged = service.SignIdentity(s_someone with { Role = "admin" }).Split('.')[1];
        using var channel = service.CreateChannel(() => $"{parts[0]}.{forged}.{parts[2]}");

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            new DatasetsClient(channel).ListDatasetsAsync(new()).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task An_identity_signed_with_another_secret_is_refused()
    {
        var token = IdentityToken.Sign(s_someone, DateTimeOffset.UtcNow.AddMinutes(1), "a-different-secret-of-enough-length-0123456789"u8);
        using var channel = service.CreateChannel(() => token);

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            new DatasetsClient(channel).ListDatasetsAsync(new()).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task An_expired_identity_is_refused()
    {
        using var channel = service.CreateChannel(() => service.SignIdentity(s_someone, TimeSpan.FromSeconds(-1)));

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            new DatasetsClient(channel).ListDatasetsAsync(new()).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task A_rest_call_without_an_identity_is_refused_with_401()
    {
        using var http = new HttpClient(service.Server.CreateHandler()) { BaseAddress = service.Server.BaseAddress };

        using var response = await http.GetAsync("/api/v1/datasets", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Health_answers_without_an_identity()
    {
        using var channel = service.CreateChannel(identity: null);
        var health = new Health.HealthClient(channel);

        // Answered, not refused; it reports SERVING once the bus has connected, which under load takes a moment.
        var reply = await health.CheckAsync(new HealthCheckRequest(), cancellationToken: TestContext.Current.CancellationToken);
        for (var attempt = 0; reply.Status != HealthCheckResponse.Types.ServingStatus.Serving && attempt < 100; attempt++)
        {
            await Task.Delay(200, TestContext.Current.CancellationToken);
            reply = await health.CheckAsync(new HealthCheckRequest(), cancellationToken: TestContext.Current.CancellationToken);
        }

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
    }

    [Fact]
    public async Task A_signed_identity_is_accepted()
    {
        using var channel = service.CreateChannel(s_someone);

        var models = await new DatasetsClient(channel).ListDatasetsAsync(new());

        Assert.NotNull(models);
    }

    [Fact]
    public async Task The_history_records_the_identity_that_made_the_change()
    {
        var name = "actor-" + Guid.NewGuid().ToString("N")[..8];
        using var channel = service.CreateChannel(s_someone);
        var client = new DatasetsClient(channel);
        await client.CreateDatasetAsync(new() { Name = name }, cancellationToken: TestContext.Current.CancellationToken);

        var history = await client.GetDatasetHistoryAsync(new() { Name = name }, cancellationToken: TestContext.Current.CancellationToken);

        var created = Assert.Single(history.Events);
        Assert.Equal(("k1", "someone"), (created.Actor.KeyId, created.Actor.Name));
    }
}
