using Marten;
using MlPlatform.Api.Registry.V1;
using MlPlatform.Contracts;
using MlPlatform.Hosting.Grpc;
using MlPlatform.Hosting.Outbox;
using MlPlatform.Registry.ModelCatalog;
using RegisteredModel = MlPlatform.Registry.ModelCatalog.RegisteredModel;

namespace MlPlatform.Registry.Aliases;

internal static class SetAliasHandler
{
    /// <summary>Creates or moves the alias as one event, and announces it through the outbox.</summary>
    public static async Task<RegisteredModel> HandleAsync(ISessionFactory sessions, SetAliasRequest request, CancellationToken cancellationToken)
    {
        var alias = AliasNames.ValidateSettable(request.Alias);
        await using var session = sessions.OpenSession();
        var (stream, model) = await ModelStreams.LockAsync(session, request.Model, cancellationToken);
        var version = await Catalog.FindVersionAsync(session, model, request.Version, cancellationToken);
        int? current = model.Aliases.TryGetValue(alias, out var pointsAt) ? pointsAt : null;
        CompareAndSet.Check(model.Id, alias, current, request.HasExpectedCurrentVersion ? request.ExpectedCurrentVersion : null);
        if (version.Deprecated)
        {
            throw Errors.FailedPrecondition(
                $"Version {version.Number} of model '{model.Id}' is deprecated ({version.DeprecationReason}); an alias cannot point at it.");
        }

        if (current == version.Number)
        {
            return model; // already so: nothing to record or announce
        }

        var set = new AliasSet(model.Id, alias, version.Number, current, DateTimeOffset.UtcNow);
        stream.AppendOne(set);
        session.PublishAfterCommit(new ModelAliasChanged(model.Id, alias, current, version.Number, set.SetAt));
        await session.SaveChangesAsync(cancellationToken);
        return model.Apply(set);
    }
}
