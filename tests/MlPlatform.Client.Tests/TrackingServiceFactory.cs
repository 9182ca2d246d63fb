using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Hosting;
using MlPlatform.TestSupport.Services;
using TrackingClient = MlPlatform.Api.Tracking.V1.Tracking.TrackingClient;

namespace MlPlatform.Client.Tests;

/// <summary>The real Tracking service in memory on its own database and virtual host, with blobs in a temporary folder.</summary>
public sealed class TrackingServiceFactory : ServiceFactory<Program>
{
    private readonly DirectoryInfo _blobs = Directory.CreateTempSubdirectory("client-tests-blobs-");

    /// <summary>A plain client, for setting up and checking what the SDK did.</summary>
    public TrackingClient Client => new(Channel);

    /// <summary>A client whose LogMetrics calls go through <paramref name="probe"/>.</summary>
    public TrackingClient ClientThrough(LogMetricsProbe probe) => new(Channel.Intercept(probe));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _blobs.Delete(recursive: true);
    }

    protected override void ConfigureService(IWebHostBuilder builder) =>
        builder.UseSetting("MlPlatform:BlobStore:Path", _blobs.FullName);
}
