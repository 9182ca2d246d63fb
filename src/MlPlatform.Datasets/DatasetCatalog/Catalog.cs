using System.Globalization;
using Grpc.Core;
using Marten;
using MlPlatform.Hosting.Grpc;
using MlPlatform.Hosting.Validation;

namespace MlPlatform.Datasets.DatasetCatalog;

/// <summary>Finding datasets and versions by what a request names, with a NotFound that says what exists instead.</summary>
internal static class Catalog
{
    public const string Latest = "latest";

    /// <summary>The version a request names: a number, or "latest" — the newest that is not deprecated.</summary>
    public static async Task<DatasetVersion> FindVersionAsync(IQuerySession session, string dataset, string version, CancellationToken cancellationToken)
    {
        var name = ResourceName.Validate(dataset, "Dataset");
        if (version == Latest)
        {
            return await session.Query<DatasetVersion>()
                    .Where(v => v.Dataset == name && !v.Deprecated)
                    .OrderByDescending(v => v.Number)
                    .FirstOrDefaultAsync(cancellationToken)
                ?? throw await NoLatestAsync(session, name, cancellationToken);
        }

        if (!int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
        {
            throw Errors.InvalidArgument($"Version '{version}' is neither a version number (1, 2, …) nor '{Latest}'.");
        }

        return await session.LoadAsync<DatasetVersion>(DatasetVersion.Key(name, number), cancellationToken)
            ?? throw await NoVersionAsync(session, name, number, cancellationToken);
    }

    public static async Task<Dataset> FindDatasetAsync(IQuerySession session, string name, CancellationToken cancellationToken) =>
        await session.LoadAsync<Dataset>(ResourceName.Validate(name, "Dataset"), cancellationToken) ?? throw DatasetNotFound(name);

    public static RpcException DatasetNotFound(string name) =>
        Errors.NotFound($"Dataset '{name}' does not exist; create it first.");

    private static async Task<RpcException> NoLatestAsync(IQuerySession session, string name, CancellationToken cancellationToken)
    {
        var dataset = await FindDatasetAsync(session, name, cancellationToken);
        return dataset.LatestVersion == 0
            ? Errors.NotFound($"Dataset '{name}' has no versions yet; upload one first.")
            : Errors.NotFound($"Every version of dataset '{name}' is deprecated; ask for one by number (1 to {dataset.LatestVersion}).");
    }

    private static async Task<RpcException> NoVersionAsync(IQuerySession session, string name, int number, CancellationToken cancellationToken)
    {
        var dataset = await FindDatasetAsync(session, name, cancellationToken);
        return dataset.LatestVersion == 0
            ? Errors.NotFound($"Dataset '{name}' has no versions yet; upload one first.")
            : Errors.NotFound($"Dataset '{name}' has no version {number}; its versions are 1 to {dataset.LatestVersion}.");
    }
}
