using Marten;
using MlPlatform.Api.Registry.V1;
using MlPlatform.Contracts;
using MlPlatform.Hosting.Grpc;
using MlPlatform.Hosting.Outbox;
using MlPlatform.Registry.ModelCatalog;
using ModelVersion = MlPlatform.Registry.ModelCatalog.ModelVersion;
using RegisteredModel = MlPlatform.Registry.ModelCatalog.RegisteredModel;

namespace MlPlatform.Registry.RegisteringVersions;

internal static class CreateModelVersionHandler
{
    public const int MaxArtifactPathLength = 1024;

    /// <summary>
    /// Checks the source run with Tracking first (no lock held while Tracking answers), then takes
    /// the model's stream lock only to number the version and commit it with its integration event.
    /// </summary>
    public static async Task<(RegisteredModel, ModelVersion)> HandleAsync(
        ISessionFactory sessions, TrackingLineage tracking, CreateModelVersionRequest request, CancellationToken cancellationToken)
    {
        var tags = Tags.Validate(request.Tags);
        var artifactPath = ValidateArtifactPath(request.ArtifactPath);
        if (request.RunId.Length == 0)
        {
            throw Errors.InvalidArgument("run_id is required: the Tracking run that produced the model.");
        }

        Signature? supplied = null;
        if (request.Signature is { } given && (given.Inputs.Count > 0 || given.Outputs.Count > 0))
        {
            supplied = Signatures.FromApi(given);
            if (Signatures.Problem(supplied) is { } problem)
            {
                throw Errors.InvalidArgument($"signature is invalid: {problem}.");
            }
        }

        await using (var query = sessions.QuerySession())
        {
            await Catalog.FindModelAsync(query, request.Model, cancellationToken); // NotFound before asking Tracking
        }

        var source = await tracking.ReadAsync(request.RunId, artifactPath, supplied, cancellationToken);

        await using var session = sessions.OpenSession();
        var (stream, model) = await ModelStreams.LockAsync(session, request.Model, cancellationToken);
        var created = new ModelVersionCreated(
            model.Id, model.LatestVersion + 1, request.Description, tags, source.Run, source.Artifact, source.Signature, DateTimeOffset.UtcNow);
        stream.AppendOne(created);
        session.PublishAfterCommit(new ModelVersionRegistered(
            created.Model,
            created.Version,
            source.Run.RunId,
            [.. source.Run.Datasets.Select(d => d.ToString())],
            source.Artifact.Sha256,
            created.CreatedAt,
            source.Run.ExperimentId,
            source.Artifact.Path,
            source.Run.Metrics));
        await session.SaveChangesAsync(cancellationToken);
        return (model.Apply(created), ModelVersion.From(created));
    }

    private static string ValidateArtifactPath(string path)
    {
        if (path.Length == 0)
        {
            throw Errors.InvalidArgument("artifact_path is required: the model's path among the run's artifacts, e.g. model/model.zip.");
        }

        if (path.Length > MaxArtifactPathLength || path.StartsWith('/') || path.Contains('\\') || path.Any(char.IsControl)
            || path.Split('/').Any(segment => segment is "" or "." or ".."))
        {
            throw Errors.InvalidArgument(
                $"artifact_path '{path}' is not a path inside a run: use '/'-separated names without a leading '/', '..', '.', empty segments or backslashes.");
        }

        return path;
    }
}
