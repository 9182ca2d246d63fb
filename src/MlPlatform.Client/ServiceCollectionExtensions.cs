using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MlPlatform.Api.Access.V1;
using MlPlatform.Api.Builds.V1;
using MlPlatform.Api.Datasets.V1;
using MlPlatform.Api.Deployments.V1;
using MlPlatform.Api.Registry.V1;
using MlPlatform.Api.Tracking.V1;
using MlPlatform.Client;

namespace Microsoft.Extensions.DependencyInjection;

public static class MlPlatformClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers a typed client for every MlPlatform service — <c>Datasets.DatasetsClient</c>,
    /// <c>Tracking.TrackingClient</c>, <c>Registry.RegistryClient</c>, <c>Builds.BuildsClient</c>,
    /// <c>Deployments.DeploymentsClient</c> and <c>Access.AccessClient</c> — all calling the gateway.
    /// Options bind from the <c>MlPlatform</c> configuration section; <paramref name="configure"/> runs after.
    /// </summary>
    public static IServiceCollection AddMlPlatformClient(this IServiceCollection services, Action<MlPlatformClientOptions>? configure = null)
    {
        // Bind from configuration when the host has one; a bare ServiceCollection works too.
        var options = services.AddOptions<MlPlatformClientOptions>().Configure<IServiceProvider>((o, provider) =>
            provider.GetService<IConfiguration>()?.GetSection(MlPlatformClientOptions.Section).Bind(o));
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddTransient<ApiKeyHandler>();
        services.AddMlPlatformGrpcClient<Datasets.DatasetsClient>();
        services.AddMlPlatformGrpcClient<Tracking.TrackingClient>();
        services.AddMlPlatformGrpcClient<Registry.RegistryClient>();
        services.AddMlPlatformGrpcClient<Builds.BuildsClient>();
        services.AddMlPlatformGrpcClient<Deployments.DeploymentsClient>();
        services.AddMlPlatformGrpcClient<Access.AccessClient>();
        return services;
    }

    private static void AddMlPlatformGrpcClient<TClient>(this IServiceCollection services) where TClient : class =>
        services.AddGrpcClient<TClient>((provider, client) =>
                client.Address = provider.GetRequiredService<IOptions<MlPlatformClientOptions>>().Value.Address)
            .AddHttpMessageHandler<ApiKeyHandler>();
}
