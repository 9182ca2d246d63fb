using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MlPlatform.Gateway.Routing;

namespace MlPlatform.Gateway.Health;

internal static class HealthExtensions
{
    public const string DownstreamPath = "/health/services";

    /// <summary>One health check per service behind the gateway, tagged <c>downstream</c>.</summary>
    public static IHostApplicationBuilder AddDownstreamHealthChecks(this IHostApplicationBuilder builder)
    {
        var checks = builder.Services.AddHealthChecks();
        foreach (var service in PlatformServices.All)
        {
            builder.Services.AddGrpcClient<Grpc.Health.V1.Health.HealthClient>(service.Name, o => o.Address = service.Address);
            checks.Add(new HealthCheckRegistration(
                service.Name,
                sp => new DownstreamHealthCheck(service, sp.GetRequiredService<Grpc.Net.ClientFactory.GrpcClientFactory>()
                    .CreateClient<Grpc.Health.V1.Health.HealthClient>(service.Name)),
                failureStatus: null,
                tags: ["downstream"]));
        }

        return builder;
    }

    /// <summary><c>/health/services</c>: each downstream service's status as JSON.</summary>
    public static WebApplication MapDownstreamHealth(this WebApplication app)
    {
        app.MapHealthChecks(DownstreamPath, new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains("downstream"),
            ResponseWriter = WriteJsonAsync,
        });
        return app;
    }

    private static Task WriteJsonAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = report.Status.ToString(),
            services = report.Entries.ToDictionary(
                e => e.Key,
                e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        });
    }
}
