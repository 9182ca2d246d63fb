using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MlPlatform.Hosting.Security;

/// <summary>
/// Accepts a call only with a valid, unexpired identity signed by the gateway
/// (<see cref="PlatformIdentity.Header"/>); the caller becomes that API key (name identifier, name, role).
/// </summary>
internal sealed class IdentityAuthenticationHandler(
    IOptionsMonitor<IdentityOptions> options, ILoggerFactory logger, UrlEncoder encoder, TimeProvider time)
    : AuthenticationHandler<IdentityOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(PlatformIdentity.Header, out var values) || values.Count != 1 || string.IsNullOrEmpty(values[0]))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var identity = IdentityToken.Verify(values[0]!, time.GetUtcNow(), Options.KeyBytes, out var failure);
        if (identity is null)
        {
            return Task.FromResult(AuthenticateResult.Fail(failure!));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, identity.KeyId),
                new Claim(ClaimTypes.Name, identity.Name),
                new Claim(ClaimTypes.Role, identity.Role),
            ],
            PlatformIdentity.Scheme));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        CallRefusals.WriteAsync(
            Context,
            global::Grpc.Core.StatusCode.Unauthenticated,
            "This service accepts calls only through the MlPlatform gateway, with a valid API key.");
}
