using Grpc.Core;
using Grpc.Net.Client;
using BuildsApi = MlPlatform.Api.Builds.V1;
using DatasetsApi = MlPlatform.Api.Datasets.V1;
using DeploymentsApi = MlPlatform.Api.Deployments.V1;
using RegistryApi = MlPlatform.Api.Registry.V1;
using TrackingApi = MlPlatform.Api.Tracking.V1;

namespace MlPlatform.EndToEnd.Tests;

/// <summary>One read-only call per service, to show that a call on a channel gets through or is refused.</summary>
internal static class ServiceCalls
{
    /// <summary>The List… call of <paramref name="service"/>, one of <see cref="PlatformFixture.Services"/>.</summary>
    public static Task ListAsync(GrpcChannel channel, string service, Metadata? headers, CancellationToken cancellationToken) => service switch
    {
        "datasets" => new DatasetsApi.Datasets.DatasetsClient(channel).ListDatasetsAsync(new(), headers, cancellationToken: cancellationToken).ResponseAsync,
        "tracking" => new TrackingApi.Tracking.TrackingClient(channel).ListExperimentsAsync(new(), headers, cancellationToken: cancellationToken).ResponseAsync,
        "registry" => new RegistryApi.Registry.RegistryClient(channel).ListRegisteredModelsAsync(new(), headers, cancellationToken: cancellationToken).ResponseAsync,
        "builds" => new BuildsApi.Builds.BuildsClient(channel).ListTrainingJobsAsync(new(), headers, cancellationToken: cancellationToken).ResponseAsync,
        "deployments" => new DeploymentsApi.Deployments.DeploymentsClient(channel).ListEndpointsAsync(new(), headers, cancellationToken: cancellationToken).ResponseAsync,
        _ => throw new ArgumentOutOfRangeException(nameof(service), service, "Not one of the platform's services."),
    };
}
