using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using MlPlatform.Gateway.Access.Keys;

namespace MlPlatform.Gateway.Security;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;key&gt;</c> or <c>x-api-key: &lt;key&gt;</c>: an
/// <c>mlp_…</c> key from the store (cached), or the bootstrap admin key from configuration.
/// The caller becomes the key: name identifier = key id, name, role.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyStore keys,
    BootstrapAdminKey bootstrap,
    TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string ApiKeyHeader = "x-api-key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Presented(Request) is not { } apiKey)
        {
            return AuthenticateResult.NoResult();
        }

        if (ApiKeyFormat.TryParse(apiKey, out var keyId, out var secret))
        {
            var hash = ApiKeyFormat.Hash(secret);
            var key = await keys.FindAsync(keyId, Context.RequestAborted);
            return key is not null && ApiKeyFormat.HashesEqual(hash, key.SecretSha256) && key.IsUsableAt(time.GetUtcNow())
                ? Success(key.Id, key.Name, key.Role)
                : AuthenticateResult.Fail("unknown, revoked or expired key");
        }

        return bootstrap.Matches(apiKey)
            ? Success(BootstrapAdminKey.KeyId, BootstrapAdminKey.Name, RoleNames.Admin)
            : AuthenticateResult.Fail("unknown key");
    }

    private static AuthenticateResult Success(string keyId, string name, string role) =>
        AuthenticateResult.Success(new AuthenticationTicket(
            new ClaimsPrincipal(new ClaimsIdentity(
                [
                    new Claim(ClaimTypes.NameIdentifier, keyId),
                    new Claim(ClaimTypes.Name, name),
                    new Claim(ClaimTypes.Role, role),
                ],
                SchemeName)),
            SchemeName));

    private static string? Presented(HttpRequest request)
    {
        var authorization = request.Headers.Authorization;
        if (authorization.Count == 1 && authorization[0] is { } value && value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return value["Bearer ".Length..].Trim();
        }

        var header = request.Headers[ApiKeyHeader];
        return header.Count == 1 && !string.IsNullOrWhiteSpace(header[0]) ? header[0]!.Trim() : null;
    }
}

/// <summary>The admin key the AppHost generates (parameter <c>admin-api-key</c>), so the first real keys can be created.</summary>
internal sealed class BootstrapAdminKey(IOptions<GatewaySecurityOptions> options)
{
    public const string KeyId = "bootstrap-admin";
    public const string Name = "bootstrap-admin";

    private readonly string? _hash = options.Value.AdminApiKey is { Length: > 0 } key ? ApiKeyFormat.Hash(key) : null;

    public bool Matches(string apiKey) => _hash is not null && ApiKeyFormat.HashesEqual(ApiKeyFormat.Hash(apiKey), _hash);
}
