namespace MlPlatform.Hosting.Security;

/// <summary>Who a call is made for, as the gateway authenticated it: an API key's id, name and role.</summary>
public sealed record PlatformIdentity(string KeyId, string Name, string Role)
{
    /// <summary>The request header the gateway forwards the signed identity in (see <see cref="IdentityToken"/>).</summary>
    public const string Header = "x-mlp-identity";

    /// <summary>The authentication scheme services use to verify it.</summary>
    public const string Scheme = "MlPlatformIdentity";

    /// <summary>The authorization policy every API endpoint of a service requires.</summary>
    public const string Policy = "MlPlatformIdentity";
}
