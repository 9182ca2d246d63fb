using MlPlatform.Hosting.Security;
using TrackingApi = MlPlatform.Api.Tracking.V1;

namespace MlPlatform.Registry.RegisteringVersions;

/// <summary>
/// The one place the Registry's gRPC client for Tracking is configured. The address goes through
/// service discovery: <c>http://_grpc.tracking</c> is the <c>grpc</c> endpoint of the
/// <c>tracking</c> resource the AppHost references (<c>MlPlatform:Tracking:Address</c> overrides it).
/// Calls carry the identity of the caller they are made for, as the gateway signed it.
/// </summary>
internal static class TrackingClientRegistration
{
    public const string DefaultAddress = "http://_grpc.tracking";

    public static IHttpClientBuilder AddTrackingClient(this IHostApplicationBuilder builder)
    {
        var address = new Uri(builder.Configuration["MlPlatform:Tracking:Address"] ?? DefaultAddress);
        builder.Services.AddScoped<TrackingLineage>();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddTransient<ForwardCallerIdentity>();
        return builder.Services
            .AddGrpcClient<TrackingApi.Tracking.TrackingClient>(options => options.Address = address)
            .AddHttpMessageHandler<ForwardCallerIdentity>();
    }
}

/// <summary>
/// Tracking, like every service, answers only calls with a gateway-signed identity: a call made
/// while serving a request carries that request's identity on (the token is short-lived, and the
/// onward call happens within the request). TODO: replace with MlPlatform.Hosting's forwarding
/// helper once the security work provides one.
/// </summary>
internal sealed class ForwardCallerIdentity(IHttpContextAccessor http) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (http.HttpContext?.Request.Headers[PlatformIdentity.Header] is [{ Length: > 0 } identity]
            && !request.Headers.Contains(PlatformIdentity.Header))
        {
            request.Headers.TryAddWithoutValidation(PlatformIdentity.Header, identity);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
