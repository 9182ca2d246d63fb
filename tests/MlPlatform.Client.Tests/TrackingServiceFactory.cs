using Grpc.Core.Interceptors;
using MlPlatform.TestSupport.Services;
using TrackingClient = MlPlatform.Api.Tracking.V1.Tracking.TrackingClient;

namespace MlPlatform.Client.Tests;

/// <summary>The real Tracking service in memory on its own database and virtual host.</summary>
public sealed class TrackingServiceFactory : ServiceFactory<Program>
{
    /// <summary>A plain client, for setting up and checking what the SDK did.</summary>
    public TrackingClient Client => new(Channel);

    /// <summary>A client whose LogMetrics calls go through <paramref name="probe"/>.</summary>
    public TrackingClient ClientThrough(LogMetricsProbe probe) => new(Channel.Intercept(probe));
}
