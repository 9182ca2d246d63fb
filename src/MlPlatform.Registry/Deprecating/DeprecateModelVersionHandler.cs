using Marten;
using MlPlatform.Api.Registry.V1;
using MlPlatform.Hosting.Grpc;
using MlPlatform.Registry.ModelCatalog;
using ModelVersion = MlPlatform.Registry.ModelCatalog.ModelVersion;
using RegisteredModel = MlPlatform.Registry.ModelCatalog.RegisteredModel;

namespace MlPlatform.Registry.Deprecating;

internal static class DeprecateModelVersionHandler
{
    public const int MaxReasonLength = 2000;

    /// <summary>
    /// Flags the version once; asking again returns it unchanged, so a retried call is harmless.
    /// A version an alias points at is refused: no alias may ever point at a deprecated version,
    /// and moving production off it is a decision for a person, not a side effect.
    /// </summary>
    public static async Task<(RegisteredModel, ModelVersion)> HandleAsync(ISessionFactory sessions, DeprecateModelVersionRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            throw Errors.InvalidArgument("A reason is required: say why the version should no longer be used.");
        }

        if (request.Reason.Length > MaxReasonLength)
        {
            throw Errors.InvalidArgument($"The reason is {request.Reason.Length} characters long; the limit is {MaxReasonLength}.");
        }

        await using var session = sessions.OpenSession();
        var (stream, model) = await ModelStreams.LockAsync(session, request.Model, cancellationToken);
        var version = await Catalog.FindVersionAsync(session, model, request.Version, cancellationToken);
        if (version.Deprecated)
        {
            return (model, version);
        }

        if (model.AliasesOf(version.Number) is [_, ..] aliases)
        {
            throw Errors.FailedPrecondition(
                $"Version {version.Number} of model '{model.Id}' is the target of alias(es) {string.Join(", ", aliases)}; move or delete them first.");
        }

        var deprecated = new ModelVersionDeprecated(model.Id, version.Number, request.Reason, DateTimeOffset.UtcNow);
        stream.AppendOne(deprecated);
        await session.SaveChangesAsync(cancellationToken);
        return (model, version.Apply(deprecated));
    }
}
