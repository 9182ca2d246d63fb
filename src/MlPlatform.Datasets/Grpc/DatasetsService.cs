using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Marten;
using MlPlatform.Hosting.Grpc;
using MlPlatform.Hosting.Validation;
using MlPlatform.Datasets.DatasetCatalog;
using DatasetsApi = MlPlatform.Api.Datasets.V1;

namespace MlPlatform.Datasets.Grpc;

public sealed class DatasetsService(IDocumentSession session) : DatasetsApi.Datasets.DatasetsBase
{
    public override async Task<DatasetsApi.Dataset> CreateDataset(DatasetsApi.CreateDatasetRequest request, ServerCallContext context)
    {
        var name = ResourceName.Validate(request.Name, "Dataset");
        if (await session.Events.FetchStreamStateAsync(name, context.CancellationToken) is not null)
        {
            throw Errors.AlreadyExists($"Dataset '{name}' already exists.");
        }

        var created = new DatasetCreated(name, request.Description, request.Tags.ToDictionary(), DateTimeOffset.UtcNow);
        session.Events.StartStream<Dataset>(name, created);
        await session.SaveChangesAsync(context.CancellationToken);
        return ToApi(Dataset.Create(created));
    }

    public override async Task<DatasetsApi.Dataset> GetDataset(DatasetsApi.GetDatasetRequest request, ServerCallContext context)
    {
        var dataset = await session.LoadAsync<Dataset>(request.Name, context.CancellationToken)
            ?? throw Errors.NotFound($"Dataset '{request.Name}' does not exist.");
        return ToApi(dataset);
    }

    public override async Task<DatasetsApi.ListDatasetsResponse> ListDatasets(DatasetsApi.ListDatasetsRequest request, ServerCallContext context)
    {
        var pageSize = Paging.PageSize(request.PageSize);
        var after = Paging.After(request.PageToken) ?? string.Empty;
        var page = await session.Query<Dataset>()
            .Where(m => m.Id.StartsWith(request.NamePrefix) && string.CompareOrdinal(m.Id, after) > 0)
            .OrderBy(m => m.Id)
            .Take(pageSize + 1)
            .ToListAsync(context.CancellationToken);

        var response = new DatasetsApi.ListDatasetsResponse();
        response.Datasets.AddRange(page.Take(pageSize).Select(ToApi));
        if (page.Count > pageSize)
        {
            response.NextPageToken = Paging.Token(page[pageSize - 1].Id);
        }

        return response;
    }

    private static DatasetsApi.Dataset ToApi(Dataset dataset) => new()
    {
        Name = dataset.Id,
        Description = dataset.Description,
        Tags = { dataset.Tags.ToDictionary() },
        CreatedAt = Timestamp.FromDateTimeOffset(dataset.CreatedAt),
        LatestVersion = dataset.LatestVersion,
    };
}
