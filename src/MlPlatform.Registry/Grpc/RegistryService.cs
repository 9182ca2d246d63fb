using Grpc.Core;
using Marten;
using MlPlatform.Api.Registry.V1;
using MlPlatform.Registry.Aliases;
using MlPlatform.Registry.Browsing;
using MlPlatform.Registry.Deprecating;
using MlPlatform.Registry.History;
using MlPlatform.Registry.Lineage;
using MlPlatform.Registry.ModelCatalog;
using MlPlatform.Registry.RegisteringModels;
using MlPlatform.Registry.RegisteringVersions;
using MlPlatform.Registry.VersionTags;
using RegistryApi = MlPlatform.Api.Registry.V1;

namespace MlPlatform.Registry.Grpc;

/// <summary>The gRPC surface: each call hands over to its use case and maps the result.</summary>
internal sealed class RegistryService(IQuerySession query, ISessionFactory sessions, TrackingLineage tracking) : RegistryApi.Registry.RegistryBase
{
    // Models

    public override async Task<RegistryApi.RegisteredModel> CreateRegisteredModel(CreateRegisteredModelRequest request, ServerCallContext context) =>
        (await CreateRegisteredModelHandler.HandleAsync(sessions, request, context.CancellationToken)).ToApi();

    public override async Task<RegistryApi.RegisteredModel> GetRegisteredModel(GetRegisteredModelRequest request, ServerCallContext context) =>
        (await Catalog.FindModelAsync(query, request.Name, context.CancellationToken)).ToApi();

    public override async Task<ListRegisteredModelsResponse> ListRegisteredModels(ListRegisteredModelsRequest request, ServerCallContext context)
    {
        var (page, nextPageToken) = await ListRegisteredModelsHandler.HandleAsync(query, request, context.CancellationToken);
        return new ListRegisteredModelsResponse { Models = { page.Select(model => model.ToApi()) }, NextPageToken = nextPageToken };
    }

    // Versions

    public override async Task<RegistryApi.ModelVersion> CreateModelVersion(CreateModelVersionRequest request, ServerCallContext context) =>
        (await CreateModelVersionHandler.HandleAsync(sessions, tracking, request, context.CancellationToken)).ToApi();

    public override async Task<RegistryApi.ModelVersion> GetModelVersion(GetModelVersionRequest request, ServerCallContext context) =>
        (await Catalog.FindAsync(query, request.Model, request.Version, context.CancellationToken)).ToApi();

    public override async Task<ListModelVersionsResponse> ListModelVersions(ListModelVersionsRequest request, ServerCallContext context)
    {
        var (model, page, nextPageToken) = await ListModelVersionsHandler.HandleAsync(query, request, context.CancellationToken);
        return new ListModelVersionsResponse { Versions = { page.Select(version => version.ToApi(model)) }, NextPageToken = nextPageToken };
    }

    // Aliases

    public override async Task<RegistryApi.RegisteredModel> SetAlias(SetAliasRequest request, ServerCallContext context) =>
        (await SetAliasHandler.HandleAsync(sessions, request, context.CancellationToken)).ToApi();

    public override async Task<RegistryApi.RegisteredModel> DeleteAlias(DeleteAliasRequest request, ServerCallContext context) =>
        (await DeleteAliasHandler.HandleAsync(sessions, request, context.CancellationToken)).ToApi();

    public override async Task<RegistryApi.ModelVersion> GetModelVersionByAlias(GetModelVersionByAliasRequest request, ServerCallContext context)
    {
        var version = await AliasResolver.ResolveAsync(query, request.Model, request.Alias, context.CancellationToken);
        return version.ToApi(await Catalog.FindModelAsync(query, version.Model, context.CancellationToken));
    }

    // Tags and deprecation

    public override async Task<RegistryApi.ModelVersion> SetModelVersionTag(SetModelVersionTagRequest request, ServerCallContext context) =>
        (await VersionTagHandlers.SetAsync(sessions, request, context.CancellationToken)).ToApi();

    public override async Task<RegistryApi.ModelVersion> DeleteModelVersionTag(DeleteModelVersionTagRequest request, ServerCallContext context) =>
        (await VersionTagHandlers.DeleteAsync(sessions, request, context.CancellationToken)).ToApi();

    public override async Task<RegistryApi.ModelVersion> DeprecateModelVersion(DeprecateModelVersionRequest request, ServerCallContext context) =>
        (await DeprecateModelVersionHandler.HandleAsync(sessions, request, context.CancellationToken)).ToApi();

    // Lineage and history

    public override Task<RegistryApi.Lineage> GetLineage(GetLineageRequest request, ServerCallContext context) =>
        GetLineageHandler.HandleAsync(query, request, context.CancellationToken);

    public override Task<GetModelHistoryResponse> GetModelHistory(GetModelHistoryRequest request, ServerCallContext context) =>
        GetModelHistoryHandler.HandleAsync(query, request, context.CancellationToken);
}
