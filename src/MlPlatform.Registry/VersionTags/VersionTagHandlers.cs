using Marten;
using MlPlatform.Api.Registry.V1;
using MlPlatform.Registry.ModelCatalog;
using ModelVersion = MlPlatform.Registry.ModelCatalog.ModelVersion;
using RegisteredModel = MlPlatform.Registry.ModelCatalog.RegisteredModel;

namespace MlPlatform.Registry.VersionTags;

internal static class VersionTagHandlers
{
    /// <summary>Sets one tag; setting the value it already has records nothing.</summary>
    public static async Task<(RegisteredModel, ModelVersion)> SetAsync(ISessionFactory sessions, SetModelVersionTagRequest request, CancellationToken cancellationToken)
    {
        Tags.Validate(request.Key, request.Value);
        await using var session = sessions.OpenSession();
        var (stream, model) = await ModelStreams.LockAsync(session, request.Model, cancellationToken);
        var version = await Catalog.FindVersionAsync(session, model, request.Version, cancellationToken);
        if (version.Tags.TryGetValue(request.Key, out var value) && value == request.Value)
        {
            return (model, version);
        }

        var set = new ModelVersionTagSet(model.Id, version.Number, request.Key, request.Value, DateTimeOffset.UtcNow);
        stream.AppendOne(set);
        await session.SaveChangesAsync(cancellationToken);
        return (model, version.Apply(set));
    }

    /// <summary>Removes one tag; removing a tag the version does not have records nothing.</summary>
    public static async Task<(RegisteredModel, ModelVersion)> DeleteAsync(ISessionFactory sessions, DeleteModelVersionTagRequest request, CancellationToken cancellationToken)
    {
        Tags.ValidateKey(request.Key);
        await using var session = sessions.OpenSession();
        var (stream, model) = await ModelStreams.LockAsync(session, request.Model, cancellationToken);
        var version = await Catalog.FindVersionAsync(session, model, request.Version, cancellationToken);
        if (!version.Tags.ContainsKey(request.Key))
        {
            return (model, version);
        }

        var deleted = new ModelVersionTagDeleted(model.Id, version.Number, request.Key, DateTimeOffset.UtcNow);
        stream.AppendOne(deleted);
        await session.SaveChangesAsync(cancellationToken);
        return (model, version.Apply(deleted));
    }
}
