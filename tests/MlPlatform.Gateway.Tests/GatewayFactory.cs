using System.Globalization;
using System.Net.Http.Headers;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using MlPlatform.Api.Access.V1;
using MlPlatform.Gateway.Routing;
using MlPlatform.TestSupport.Services;
using AccessApi = MlPlatform.Api.Access.V1;

namespace MlPlatform.Gateway.Tests;

/// <summary>
/// The gateway in memory on its own database, every service route pointing at a <see cref="StubService"/>,
/// a bootstrap admin key, and one API key per role plus a revoked and an expired one.
/// </summary>
public class GatewayFactory : ServiceFactory<Program>
{
    public const string AdminApiKey = "bootstrap-admin-key-for-gateway-tests-0123456789";

    public static readonly string[] Callers = ["none", "revoked", "expired", "reader", "scorer", "contributor", "admin"];

    private readonly Dictionary<string, string> _settings = new(StringComparer.Ordinal);

    public StubService Stub { get; private set; } = null!;

    /// <summary>API keys by caller name (see <see cref="Callers"/>; "none" has no key).</summary>
    public Dictionary<string, string?> Keys { get; } = new(StringComparer.Ordinal) { ["none"] = null };

    /// <summary>Key ids by caller name.</summary>
    public Dictionary<string, string> KeyIds { get; } = new(StringComparer.Ordinal);

    /// <summary>A setting for the gateway (call before the fixture starts).</summary>
    protected void Set(string key, object value) => _settings[key] = Convert.ToString(value, CultureInfo.InvariantCulture)!;

    /// <summary>A channel to the gateway sending <paramref name="apiKey"/> as a bearer token (or as <c>x-api-key</c>), or no key.</summary>
    public GrpcChannel ChannelWithKey(string? apiKey, bool asXApiKey = false, Action<HttpRequestHeaders>? headers = null) =>
        GrpcChannel.ForAddress(Server.BaseAddress, new GrpcChannelOptions
        {
            HttpHandler = new KeyHandler(apiKey, asXApiKey, headers) { InnerHandler = Server.CreateHandler() },
            MaxReceiveMessageSize = null,
            MaxSendMessageSize = null,
        });

    /// <summary>An HTTP client for REST through the gateway with <paramref name="apiKey"/>, or none.</summary>
    public HttpClient HttpWithKey(string? apiKey)
    {
        var http = new HttpClient(Server.CreateHandler()) { BaseAddress = Server.BaseAddress };
        if (apiKey is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return http;
    }

    public async Task<CreateApiKeyResponse> CreateKeyAsync(string name, string role, DateTimeOffset? expiresAt = null)
    {
        using var channel = ChannelWithKey(AdminApiKey);
        var request = new CreateApiKeyRequest { Name = name, Role = role };
        if (expiresAt is { } expiry)
        {
            request.ExpiresAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(expiry);
        }

        return await new AccessApi.Access.AccessClient(channel).CreateApiKeyAsync(request);
    }

    protected override async Task BeforeStartAsync()
    {
        Stub = await StubService.StartAsync();
        await base.BeforeStartAsync();
    }

    protected override void ConfigureService(IWebHostBuilder builder)
    {
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("MlPlatform:Gateway:AdminApiKey", AdminApiKey);
        foreach (var service in PlatformServices.All)
        {
            builder.UseSetting($"services:{service.Name}:grpc:0", Stub.Address.ToString().TrimEnd('/'));
        }

        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>Whether to create the keys of <see cref="Callers"/> at start.</summary>
    protected bool CreateCallerKeys { get; init; } = true;

    protected override Task AfterStartAsync() => CreateCallerKeys ? CreateCallerKeysAsync() : Task.CompletedTask;

    /// <summary>Creates the keys of <see cref="Callers"/>; the expired one is created to expire at once and waited out.</summary>
    private async Task CreateCallerKeysAsync()
    {
        foreach (var role in new[] { "reader", "scorer", "contributor", "admin" })
        {
            await AddAsync(role, await CreateKeyAsync($"{role}-key", role));
        }

        var revoked = await CreateKeyAsync("revoked-key", "admin");
        using (var channel = ChannelWithKey(AdminApiKey))
        {
            await new AccessApi.Access.AccessClient(channel).RevokeApiKeyAsync(new RevokeApiKeyRequest { KeyId = revoked.Key.KeyId });
        }

        await AddAsync("revoked", revoked);
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(2);
        await AddAsync("expired", await CreateKeyAsync("expired-key", "admin", expiresAt));
        await Task.Delay(expiresAt - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(200));

        Task AddAsync(string caller, CreateApiKeyResponse created)
        {
            Keys[caller] = created.ApiKey;
            KeyIds[caller] = created.Key.KeyId;
            return Task.CompletedTask;
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Stub is not null)
        {
            await Stub.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    private sealed class KeyHandler(string? apiKey, bool asXApiKey, Action<HttpRequestHeaders>? headers) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (apiKey is not null)
            {
                if (asXApiKey)
                {
                    request.Headers.TryAddWithoutValidation("x-api-key", apiKey);
                }
                else
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
                }
            }

            headers?.Invoke(request.Headers);
            return base.SendAsync(request, cancellationToken);
        }
    }
}

/// <summary>Small limits: 5 calls per second per key, and the builds service unreachable.</summary>
public sealed class LimitsGatewayFactory : GatewayFactory
{
    public const int Calls = 5;

    public LimitsGatewayFactory()
    {
        CreateCallerKeys = false;
        Set("MlPlatform:Gateway:RateLimit:TokenLimit", Calls);
        Set("MlPlatform:Gateway:RateLimit:TokensPerPeriod", Calls);
        Set("MlPlatform:Gateway:RateLimit:ReplenishmentPeriod", "00:00:01");
    }

    protected override void ConfigureService(IWebHostBuilder builder)
    {
        base.ConfigureService(builder);
        // Nothing listens there: calls to builds fail at the gateway.
        builder.UseSetting("services:builds:grpc:0", $"http://127.0.0.1:{MlPlatform.TestSupport.FreePort.Next()}");
    }
}

internal static class RpcExceptionExtensions
{
    public static string? Header(this RpcException e, string name) => e.Trailers.GetValue(name);
}
