namespace MlPlatform.Gateway.Security;

/// <summary><c>MlPlatform:Gateway</c>: authentication, rate and size limits.</summary>
public sealed class GatewaySecurityOptions
{
    public const string Section = "MlPlatform:Gateway";

    /// <summary>
    /// Off only to measure what authentication costs (benchmarks): the gateway then checks no keys
    /// and forwards no identity, so the services refuse every call — it cannot open a back door.
    /// </summary>
    public bool AuthenticationEnabled { get; set; } = true;

    /// <summary>The bootstrap admin key (AppHost parameter <c>admin-api-key</c>); empty: none.</summary>
    public string AdminApiKey { get; set; } = "";

    /// <summary>How long a key looked up in the database is trusted before it is read again (revocation on another replica takes at most this long).</summary>
    public TimeSpan KeyCacheDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the identity the gateway signs for a service stays valid.</summary>
    public TimeSpan IdentityLifetime { get; set; } = TimeSpan.FromSeconds(60);

    public RateLimitOptions RateLimit { get; set; } = new();

    /// <summary>The largest request body a route takes (a gRPC message of 4 MiB and its framing), except client-streaming uploads, which are unlimited here and limited per message by the services.</summary>
    public long MaxRequestBodyBytes { get; set; } = (4 << 20) + 1024;
}

/// <summary>A token bucket per API key.</summary>
public sealed class RateLimitOptions
{
    public bool Enabled { get; set; } = true;

    /// <summary>The burst a key may make at once.</summary>
    public int TokenLimit { get; set; } = 2000;

    /// <summary>Tokens added every <see cref="ReplenishmentPeriod"/>.</summary>
    public int TokensPerPeriod { get; set; } = 1000;

    public TimeSpan ReplenishmentPeriod { get; set; } = TimeSpan.FromSeconds(1);
}
