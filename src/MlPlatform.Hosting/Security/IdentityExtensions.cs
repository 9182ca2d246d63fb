using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace MlPlatform.Hosting.Security;

public static class IdentityExtensions
{
    /// <summary>
    /// Services accept only calls that carry an identity signed by the gateway: the
    /// <see cref="PlatformIdentity.Scheme"/> authentication scheme and the <see cref="PlatformIdentity.Policy"/>
    /// policy (an authenticated caller). The signing secret (<c>MlPlatform:Identity:SigningKey</c>) is
    /// required at start: a service that cannot verify identities must not run.
    /// </summary>
    public static IHostApplicationBuilder AddPlatformIdentity(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<IdentityOptions>(PlatformIdentity.Scheme)
            .BindConfiguration(IdentityOptions.Section)
            .Validate(
                o => o.SigningKey.Length >= IdentityToken.MinKeyLength,
                $"{IdentityOptions.Section}:SigningKey must be set to a secret of at least {IdentityToken.MinKeyLength} characters shared with the gateway (the AppHost generates it).")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddAuthentication(PlatformIdentity.Scheme)
            .AddScheme<IdentityOptions, IdentityAuthenticationHandler>(PlatformIdentity.Scheme, _ => { });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(PlatformIdentity.Policy, policy => policy
                .AddAuthenticationSchemes(PlatformIdentity.Scheme)
                .RequireAuthenticatedUser());
        return builder;
    }
}
