using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MlPlatform.TestSupport.Services;
using TrackingApi = MlPlatform.Api.Tracking.V1;

namespace MlPlatform.Tracking.Tests;

/// <summary>The Tracking service in memory on a database and virtual host of its own.</summary>
public class TrackingFactory : ServiceFactory<Program>
{
    public TrackingFactory()
        : this(dedicatedBroker: false)
    {
    }

    protected TrackingFactory(bool dedicatedBroker)
        : base(dedicatedBroker)
    {
    }

    public TrackingApi.Tracking.TrackingClient Client => new(Channel);

    protected override void ConfigureService(IWebHostBuilder builder)
    {
        // Calls run in the test's async flow, so the service's warnings land in that test's output.
        builder.ConfigureServices(services => services.Configure<TestServerOptions>(options => options.PreserveExecutionContext = true));
        builder.ConfigureLogging(logging => logging.AddProvider(new TestOutputLoggerProvider()));
    }
}

/// <summary>With a broker of its own, which a test may stop and start.</summary>
public sealed class TrackingWithOwnBrokerFactory() : TrackingFactory(dedicatedBroker: true);
