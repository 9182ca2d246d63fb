using Marten;
using MlPlatform.Api.Registry.V1;
using MlPlatform.Contracts;
using MlPlatform.Hosting.Grpc;
using MlPlatform.Hosting.Outbox;
using MlPlatform.Registry.ModelCatalog;
using RegisteredModel = MlPlatform.Registry.ModelCatalog.RegisteredModel;

namespace MlPlatform.Registry.Aliases;

internal static class DeleteAliasHandler
{
    public static async Task<RegisteredModel> HandleAsync(ISessionFactory sessions, DeleteAliasRequest request, CancellationToken cancellationToken)
    {
        var alias = AliasNames.ValidateSettable(request.Alias);
        await using var session = sessions.OpenSession();
        var (stream, model) = await ModelStreams.LockAsync(session, request.Model, cancellationToken);
        int? current = model.Aliases.TryGetValue(alias, out var pointsAt) ? pointsAt : null;
        CompareAndSet.Check(model.Id, alias, current, request.HasExpectedCurrentVersion ? request.ExpectedCurrentVersion : null);
        if (current is not { } previous)
        {
            throw Errors.NotFound($"Model '{model.Id}' has no alias '{alias}'.");
        }

        var deleted = new AliasDeleted(model.Id, alias, previous, DateTimeOffset.UtcNow);
        stream.AppendOne(deleted);
        session.PublishAfterCommit(new ModelAliasChanged(model.Id, alias, previous, NewVersion: null, deleted.DeletedAt));
        await session.SaveChangesAsync(cancellationToken);
        return model.Apply(deleted);
    }
}
