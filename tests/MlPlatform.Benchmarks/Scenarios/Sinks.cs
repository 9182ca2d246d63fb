using Grpc.Core;
using MlPlatform.Api.Datasets.V1;
// The service project is linked too (csv-inspect), and its MlPlatform.Datasets namespace would hide the API type.
using DatasetsApi = MlPlatform.Api.Datasets.V1.Datasets;
using MlPlatform.Api.Deployments.V1;

namespace MlPlatform.Benchmarks.Scenarios;

/// <summary>
/// The upload RPC doing nothing but receive: every message is read (and so deserialised, as the
/// real service's are) and dropped. The response carries the byte count so the client can check
/// that everything arrived.
/// </summary>
internal sealed class DatasetsSink : DatasetsApi.DatasetsBase
{
    public override async Task<UploadDatasetVersionResponse> UploadDatasetVersion(
        IAsyncStreamReader<UploadDatasetVersionRequest> requestStream, ServerCallContext context)
    {
        long bytes = 0;
        while (await requestStream.MoveNext(context.CancellationToken))
        {
            if (requestStream.Current.ContentCase == UploadDatasetVersionRequest.ContentOneofCase.Chunk)
            {
                bytes += requestStream.Current.Chunk.Length;
            }
        }

        return new UploadDatasetVersionResponse { Version = new DatasetVersion { Version = 1, SizeBytes = bytes }, Created = true };
    }
}

/// <summary>The cheapest unary call there is: an empty request answered with an empty response.</summary>
internal sealed class DeploymentsSink : Deployments.DeploymentsBase
{
    public override Task<ListEndpointsResponse> ListEndpoints(ListEndpointsRequest request, ServerCallContext context) =>
        Task.FromResult(new ListEndpointsResponse());
}
