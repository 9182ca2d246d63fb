using Grpc.Core;
using Marten;
using Microsoft.Extensions.Options;
using MlPlatform.Api.Datasets.V1;
using MlPlatform.BlobStorage;
using MlPlatform.Datasets.BrowsingDatasets;
using MlPlatform.Datasets.CreatingDatasets;
using MlPlatform.Datasets.DatasetCatalog;
using MlPlatform.Datasets.DeprecatingVersions;
using MlPlatform.Datasets.DownloadingVersions;
using MlPlatform.Datasets.ReadingHistory;
using MlPlatform.Datasets.UploadingVersions;
using DatasetsApi = MlPlatform.Api.Datasets.V1;

namespace MlPlatform.Datasets.Grpc;

/// <summary>The gRPC surface: each call hands over to its use case and maps the result.</summary>
public sealed class DatasetsService(
    IQuerySession query,
    ISessionFactory sessions,
    IBlobStore blobs,
    IOptions<UploadOptions> uploadOptions) : DatasetsApi.Datasets.DatasetsBase
{
    public override async Task<DatasetsApi.Dataset> CreateDataset(CreateDatasetRequest request, ServerCallContext context) =>
        (await CreateDatasetHandler.HandleAsync(sessions, request, context.CancellationToken)).ToApi();

    public override async Task<DatasetsApi.Dataset> GetDataset(GetDatasetRequest request, ServerCallContext context) =>
        (await Catalog.FindDatasetAsync(query, request.Name, context.CancellationToken)).ToApi();

    public override async Task<ListDatasetsResponse> ListDatasets(ListDatasetsRequest request, ServerCallContext context)
    {
        var (page, nextPageToken) = await ListDatasetsHandler.HandleAsync(query, request, context.CancellationToken);
        return new ListDatasetsResponse { Datasets = { page.Select(dataset => dataset.ToApi()) }, NextPageToken = nextPageToken };
    }

    public override async Task<UploadDatasetVersionResponse> UploadDatasetVersion(
        IAsyncStreamReader<UploadDatasetVersionRequest> requestStream, ServerCallContext context)
    {
        var (version, created) = await UploadDatasetVersionHandler.HandleAsync(
            requestStream, sessions, blobs, uploadOptions.Value, context.CancellationToken);
        return new UploadDatasetVersionResponse { Version = version.ToApi(), Created = created };
    }

    public override async Task<DatasetsApi.DatasetVersion> GetDatasetVersion(GetDatasetVersionRequest request, ServerCallContext context) =>
        (await Catalog.FindVersionAsync(query, request.Dataset, request.Version, context.CancellationToken)).ToApi();

    public override async Task<ListDatasetVersionsResponse> ListDatasetVersions(ListDatasetVersionsRequest request, ServerCallContext context)
    {
        var (page, nextPageToken) = await ListDatasetVersionsHandler.HandleAsync(query, request, context.CancellationToken);
        return new ListDatasetVersionsResponse { Versions = { page.Select(version => version.ToApi()) }, NextPageToken = nextPageToken };
    }

    public override Task DownloadDatasetVersion(
        DownloadDatasetVersionRequest request, IServerStreamWriter<DownloadDatasetVersionResponse> responseStream, ServerCallContext context) =>
        DownloadDatasetVersionHandler.HandleAsync(query, blobs, request, responseStream, context.CancellationToken);

    public override async Task<DatasetsApi.DatasetVersion> DeprecateDatasetVersion(DeprecateDatasetVersionRequest request, ServerCallContext context) =>
        (await DeprecateDatasetVersionHandler.HandleAsync(sessions, request, context.CancellationToken)).ToApi();

    public override Task<GetDatasetHistoryResponse> GetDatasetHistory(GetDatasetHistoryRequest request, ServerCallContext context) =>
        GetDatasetHistoryHandler.HandleAsync(query, request, context.CancellationToken);
}
