using Grpc.Health.V1;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MlPlatform.Gateway.Routing;

namespace MlPlatform.Gateway.Health;

/// <summary>Asks a service behind the gateway whether it is SERVING, over the same route calls take.</summary>
internal sealed class DownstreamHealthCheck(PlatformService service, Grpc.Health.V1.Health.HealthClient client) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var reply = await client.CheckAsync(
                new HealthCheckRequest { Service = service.GrpcService },
                deadline: DateTime.UtcNow.AddSeconds(5),
                cancellationToken: cancellationToken);
            return reply.Status == HealthCheckResponse.Types.ServingStatus.Serving
                ? HealthCheckResult.Healthy($"{service.Name} is serving")
                : HealthCheckResult.Degraded($"{service.Name} reports {reply.Status}");
        }
        catch (Exception ex) when (ex is Grpc.Core.RpcException or HttpRequestException)
        {
            // Degraded, not Unhealthy: the gateway still serves the other services. The reason stays
            // in the result's exception (logs), not its description: /health/services is public and
            // must not show internal addresses.
            return HealthCheckResult.Degraded($"{service.Name} is unreachable", ex);
        }
    }
}
