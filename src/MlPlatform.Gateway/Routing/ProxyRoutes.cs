using MlPlatform.Gateway.Security;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace MlPlatform.Gateway.Routing;

/// <summary>
/// YARP routes and clusters built from <see cref="PlatformServices"/>. Each service has one
/// cluster on its cleartext HTTP/2 endpoint: gRPC calls go there as they are, and REST calls
/// too — YARP upgrades them to HTTP/2 and the service's JSON transcoding answers them.
/// Every route takes requests up to <c>maxRequestBodyBytes</c>, except the service's
/// client-streaming RPCs (uploads), which stream without limit here — the services bound each message.
/// </summary>
public static class ProxyRoutes
{
    public static IReadOnlyList<RouteConfig> Routes(long maxRequestBodyBytes) =>
    [
        .. PlatformServices.All.Select(s => Route($"{s.Name}-grpc", s.Name, $"/{s.GrpcService}/{{**method}}", maxRequestBodyBytes)),
        .. PlatformServices.All.SelectMany(s => ApiDescriptors.Services
            .Where(d => d.FullName == s.GrpcService)
            .SelectMany(d => d.Methods)
            .Where(m => m.IsClientStreaming)
            .Select(m => Route($"{s.Name}-grpc-stream-{m.Name}", s.Name, $"/{ApiDescriptors.FullName(m)}", maxRequestBodyBytes: -1))),
        .. PlatformServices.All.SelectMany(s => s.RestPaths.SelectMany(path => new[]
        {
            Route($"{s.Name}-rest{path}", s.Name, path, maxRequestBodyBytes),
            Route($"{s.Name}-rest{path}/", s.Name, $"{path}/{{**rest}}", maxRequestBodyBytes),
            // Custom methods on the collection, e.g. POST /api/v1/runs:search.
            Route($"{s.Name}-rest{path}:", s.Name, $"{path}:{{verb}}", maxRequestBodyBytes),
        })),
    ];

    public static IReadOnlyList<ClusterConfig> Clusters() =>
    [
        .. PlatformServices.All.Select(s => new ClusterConfig
        {
            ClusterId = s.Name,
            Destinations = new Dictionary<string, DestinationConfig>
            {
                [s.Name] = new() { Address = s.Address.ToString() },
            },
            HttpRequest = new ForwarderRequestConfig
            {
                // Cleartext HTTP/2 has no negotiation: speak it from the first byte.
                Version = new Version(2, 0),
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
                // Streams may be quiet for long (watching a training job); deadlines come from the caller (grpc-timeout).
                ActivityTimeout = TimeSpan.FromHours(1),
            },
        }),
    ];

    private static RouteConfig Route(string routeId, string clusterId, string path, long maxRequestBodyBytes) => new()
    {
        RouteId = routeId,
        ClusterId = clusterId,
        Match = new RouteMatch { Path = path },
        MaxRequestBodySize = maxRequestBodyBytes,
    };
}
