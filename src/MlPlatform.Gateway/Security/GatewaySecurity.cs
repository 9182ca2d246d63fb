using JasperFx.Events.Projections;
using Microsoft.AspNetCore.Authentication;
using MlPlatform.Gateway.Access;
using MlPlatform.Gateway.Access.Keys;
using MlPlatform.Hosting.EventStore;
using MlPlatform.Hosting.Security;
using Yarp.ReverseProxy.Transforms;

namespace MlPlatform.Gateway.Security;

/// <summary>
/// Everything that decides who gets in: API keys (stored in the gateway's own <c>access</c>
/// schema), the per-key rate limit, the role table, and the signed identity forwarded to services.
/// </summary>
internal static partial class GatewaySecurity
{
    public static GatewaySecurityOptions AddGatewaySecurity(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(GatewaySecurityOptions.Section).Get<GatewaySecurityOptions>() ?? new();
        builder.Services.AddOptions<GatewaySecurityOptions>().BindConfiguration(GatewaySecurityOptions.Section);
        builder.Services.AddSingleton(TimeProvider.System);
        if (!options.AuthenticationEnabled)
        {
            return options;
        }

        builder.AddPlatformIdentity();
        builder.AddEventStore("access", store =>
            store.Projections.Snapshot<ApiKeyRecord>(SnapshotLifecycle.Inline));
        builder.Services.AddSingleton<ApiKeyStore>();
        builder.Services.AddSingleton<BootstrapAdminKey>();
        builder.Services.AddSingleton<ForwardedIdentity>();
        builder.Services.AddSingleton(RestRoutes.Platform);
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, _ => { });
        if (options.RateLimit.Enabled)
        {
            builder.Services.AddPerKeyRateLimits(options.RateLimit);
        }

        return options;
    }

    /// <summary>
    /// Forwarded requests lose the caller's key and any identity header the caller sent, and
    /// carry the identity the gateway signed for the authenticated key instead.
    /// </summary>
    public static IReverseProxyBuilder AddIdentityForwarding(this IReverseProxyBuilder proxy) =>
        proxy.AddTransforms(transforms => transforms.AddRequestTransform(context =>
        {
            var headers = context.ProxyRequest.Headers;
            headers.Remove(PlatformIdentity.Header);
            headers.Remove("Authorization");
            headers.Remove(ApiKeyAuthenticationHandler.ApiKeyHeader);
            if (context.HttpContext.RequestServices.GetService<ForwardedIdentity>()?.For(context.HttpContext.User) is { } token)
            {
                headers.TryAddWithoutValidation(PlatformIdentity.Header, token);
            }

            return ValueTask.CompletedTask;
        }));

    public static WebApplication UseGatewaySecurity(this WebApplication app, GatewaySecurityOptions options)
    {
        // Nothing inside the gateway may take a caller's identity header for its own.
        app.Use((context, next) =>
        {
            context.Request.Headers.Remove(PlatformIdentity.Header);
            return next(context);
        });
        if (!options.AuthenticationEnabled)
        {
            LogAuthenticationDisabled(app.Logger);
            return app;
        }

        app.UseAuthentication();
        if (options.RateLimit.Enabled)
        {
            app.UseRateLimiter();
        }

        app.UseMiddleware<GatewayAuthorizationMiddleware>();
        return app;
    }

    public static WebApplication MapAccess(this WebApplication app, GatewaySecurityOptions options)
    {
        if (options.AuthenticationEnabled)
        {
            app.MapGrpcService<AccessService>();
        }

        return app;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Authentication is OFF (MlPlatform:Gateway:AuthenticationEnabled=false): no API keys are checked and no identity is forwarded, so services refuse every call. Use this only to measure what authentication costs.")]
    private static partial void LogAuthenticationDisabled(ILogger logger);
}
