using Grpc.Core;
using Marten;
using MlPlatform.Hosting.Grpc;
using MlPlatform.Hosting.Validation;

namespace MlPlatform.Registry.ModelCatalog;

/// <summary>Finding models and versions by what a request names, with a NotFound that says what exists instead.</summary>
internal static class Catalog
{
    public static async Task<RegisteredModel> FindModelAsync(IQuerySession session, string name, CancellationToken cancellationToken) =>
        await session.LoadAsync<RegisteredModel>(ResourceName.Validate(name, "Model"), cancellationToken) ?? throw ModelNotFound(name);

    public static async Task<ModelVersion> FindVersionAsync(IQuerySession session, RegisteredModel model, int version, CancellationToken cancellationToken)
    {
        RequireNumber(version);
        return await session.LoadAsync<ModelVersion>(ModelVersion.Key(model.Id, version), cancellationToken)
            ?? throw VersionNotFound(model, version);
    }

    /// <summary>The model and one of its versions.</summary>
    public static async Task<(RegisteredModel Model, ModelVersion Version)> FindAsync(
        IQuerySession session, string model, int version, CancellationToken cancellationToken)
    {
        RequireNumber(version);
        var found = await FindModelAsync(session, model, cancellationToken);
        return (found, await FindVersionAsync(session, found, version, cancellationToken));
    }

    /// <summary>The newest version that is not deprecated, or null.</summary>
    public static Task<ModelVersion?> FindLatestActiveAsync(IQuerySession session, RegisteredModel model, CancellationToken cancellationToken) =>
        session.Query<ModelVersion>()
            .Where(v => v.Model == model.Id && !v.Deprecated)
            .OrderByDescending(v => v.Number)
            .FirstOrDefaultAsync(cancellationToken);

    public static RpcException ModelNotFound(string name) =>
        Errors.NotFound($"Model '{name}' does not exist; create it first.");

    public static RpcException VersionNotFound(RegisteredModel model, int version) =>
        model.LatestVersion == 0
            ? Errors.NotFound($"Model '{model.Id}' has no versions yet; register one first.")
            : Errors.NotFound($"Model '{model.Id}' has no version {version}; its versions are 1 to {model.LatestVersion}.");

    private static void RequireNumber(int version)
    {
        if (version < 1)
        {
            throw Errors.InvalidArgument($"Version {version} is not a version number; versions start at 1.");
        }
    }
}
