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
        return builder.Services
            .AddGrpcClient<TrackingApi.Tracking.TrackingClient>(options => options.Address = address)
            .ForwardCallerIdentity();
    }
}
