using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Marten;
using MlPlatform.Hosting.Grpc;
using MlPlatform.Hosting.Validation;
using MlPlatform.Registry.RegisteredModels;
using RegistryApi = MlPlatform.Api.Registry.V1;

namespace MlPlatform.Registry.Grpc;

public sealed class RegistryService(IDocumentSession session) : RegistryApi.Registry.RegistryBase
{
    public override async Task<RegistryApi.RegisteredModel> CreateRegisteredModel(RegistryApi.CreateRegisteredModelRequest request, ServerCallContext context)
    {
        var name = ResourceName.Validate(request.Name, "Model");
        if (await session.Events.FetchStreamStateAsync(name, context.CancellationToken) is not null)
        {
            throw Errors.AlreadyExists($"Model '{name}' already exists.");
        }

        var created = new RegisteredModelCreated(name, request.Description, request.Tags.ToDictionary(), DateTimeOffset.UtcNow);
        session.Events.StartStream<RegisteredModel>(name, created);
        await session.SaveChangesAsync(context.CancellationToken);
        return ToApi(RegisteredModel.Create(created));
    }

    public override async Task<RegistryApi.RegisteredModel> GetRegisteredModel(RegistryApi.GetRegisteredModelRequest request, ServerCallContext context)
    {
        var model = await session.LoadAsync<RegisteredModel>(request.Name, context.CancellationToken)
            ?? throw Errors.NotFound($"Model '{request.Name}' does not exist.");
        return ToApi(model);
    }

    public override async Task<RegistryApi.ListRegisteredModelsResponse> ListRegisteredModels(RegistryApi.ListRegisteredModelsRequest request, ServerCallContext context)
    {
        var pageSize = Paging.PageSize(request.PageSize);
        var after = Paging.After(request.PageToken) ?? string.Empty;
        var page = await session.Query<RegisteredModel>()
            .Where(m => m.Id.StartsWith(request.NamePrefix) && m.Id.CompareTo(after) > 0)
            .OrderBy(m => m.Id)
            .Take(pageSize + 1)
            .ToListAsync(context.CancellationToken);

        var response = new RegistryApi.ListRegisteredModelsResponse();
        response.Models.AddRange(page.Take(pageSize).Select(ToApi));
        if (page.Count > pageSize)
        {
            response.NextPageToken = Paging.Token(page[pageSize - 1].Id);
        }

        return response;
    }

    private static RegistryApi.RegisteredModel ToApi(RegisteredModel model) => new()
    {
        Name = model.Id,
        Description = model.Description,
        Tags = { model.Tags.ToDictionary() },
        CreatedAt = Timestamp.FromDateTimeOffset(model.CreatedAt),
        LatestVersion = model.LatestVersion,
    };
}
