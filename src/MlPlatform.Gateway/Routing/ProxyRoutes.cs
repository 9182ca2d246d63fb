using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace MlPlatform.Gateway.Routing;

/// <summary>
/// YARP routes and clusters built from <see cref="PlatformServices"/>. Each service has one
/// cluster on its cleartext HTTP/2 endpoint: gRPC calls go there as they are, and REST calls
/// too — YARP upgrades them to HTTP/2 and the service's JSON transcoding answers them.
/// </summary>
public static class ProxyRoutes
{
    public static IReadOnlyList<RouteConfig> Routes() =>
    [
        .. PlatformServices.All.Select(s => Route($"{s.Name}-grpc", s.Name, $"/{s.GrpcService}/{{**method}}")),
        .. PlatformServices.All.SelectMany(s => s.RestPaths.SelectMany(path => new[]
        {
            Route($"{s.Name}-rest{path}", s.Name, path),
            Route($"{s.Name}-rest{path}/", s.Name, $"{path}/{{**rest}}"),
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
            },
        }),
    ];

    private static RouteConfig Route(string routeId, string clusterId, string path) => new()
    {
        RouteId = routeId,
        ClusterId = clusterId,
        Match = new RouteMatch { Path = path },
    };
}
