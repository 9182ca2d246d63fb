namespace MlPlatform.Client;

/// <summary>Where the MlPlatform gateway is and how to authenticate to it.</summary>
public sealed class MlPlatformClientOptions
{
    /// <summary>Configuration section the options bind from.</summary>
    public const string Section = "MlPlatform";

    /// <summary>The gateway's gRPC address (cleartext HTTP/2 or HTTPS).</summary>
    public Uri Address { get; set; } = new("http://localhost:8080");

    /// <summary>An API key (<c>mlp_…</c>), sent as <c>Authorization: Bearer</c> on every call.</summary>
    public string? ApiKey { get; set; }
}
