using System.Globalization;
using Marten;
using MlPlatform.Api.Datasets.V1;
using MlPlatform.Datasets.DatasetCatalog;
using MlPlatform.Hosting.Grpc;
using MlPlatform.Hosting.Validation;
using Dataset = MlPlatform.Datasets.DatasetCatalog.Dataset;
using DatasetVersion = MlPlatform.Datasets.DatasetCatalog.DatasetVersion;

namespace MlPlatform.Datasets.DeprecatingVersions;

internal static class DeprecateDatasetVersionHandler
{
    /// <summary>Flags the version once; asking again returns it unchanged, so a retried call is harmless.</summary>
    public static async Task<DatasetVersion> HandleAsync(ISessionFactory sessions, DeprecateDatasetVersionRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            throw Errors.InvalidArgument("A reason is required: say why the version should no longer be used.");
        }

        if (request.Version < 1)
        {
            throw Errors.InvalidArgument($"Version {request.Version} is not a version number; versions start at 1.");
        }

        return await Conflicts.RetryAsync(async () =>
        {
            await using var session = sessions.OpenSession();
            // Fetch the stream first: a deprecation committed after this read then fails the commit.
            var stream = await session.Events.FetchForWriting<Dataset>(ResourceName.Validate(request.Dataset, "Dataset"), cancellationToken);
            var version = await Catalog.FindVersionAsync(
                session, request.Dataset, request.Version.ToString(CultureInfo.InvariantCulture), cancellationToken);
            if (version.Deprecated)
            {
                return version;
            }

            var deprecated = new DatasetVersionDeprecated(version.Dataset, version.Number, request.Reason, DateTimeOffset.UtcNow);
            stream.AppendOne(deprecated);
            await session.SaveChangesAsync(cancellationToken);
            return version.Apply(deprecated);
        }, cancellationToken);
    }
}
