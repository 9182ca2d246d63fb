using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.Extensions.Options;
using MlPlatform.Hosting.Security;

namespace MlPlatform.Gateway.Security;

/// <summary>
/// Signs the identity forwarded to services (<see cref="IdentityToken"/>), once per key and half
/// a lifetime, not once per call.
/// </summary>
public sealed class ForwardedIdentity(IOptions<GatewaySecurityOptions> gateway, IOptionsMonitor<IdentityOptions> identity, TimeProvider time)
{
    private const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<string, Signed> _tokens = new(StringComparer.Ordinal);
    private readonly TimeSpan _lifetime = gateway.Value.IdentityLifetime;
    private readonly byte[] _key = identity.Get(PlatformIdentity.Scheme).KeyBytes;

    /// <summary>The token for <paramref name="user"/>, or null when nobody is authenticated.</summary>
    public string? For(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Identity?.IsAuthenticated != true || user.FindFirstValue(ClaimTypes.NameIdentifier) is not { } keyId)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var name = user.Identity.Name ?? "";
        var role = user.FindFirstValue(ClaimTypes.Role) ?? "";
        if (_tokens.TryGetValue(keyId, out var signed) && now < signed.RefreshAt && signed.Name == name && signed.Role == role)
        {
            return signed.Token;
        }

        if (_tokens.Count >= MaxEntries)
        {
            _tokens.Clear();
        }

        var token = IdentityToken.Sign(new PlatformIdentity(keyId, name, role), now + _lifetime, _key);
        _tokens[keyId] = new Signed(token, name, role, now + (_lifetime / 2));
        return token;
    }

    private sealed record Signed(string Token, string Name, string Role, DateTimeOffset RefreshAt);
}
