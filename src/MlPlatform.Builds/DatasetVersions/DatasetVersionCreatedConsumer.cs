using Marten;
using MassTransit;
using MlPlatform.Contracts;

namespace MlPlatform.Builds.DatasetVersions;

/// <summary>
/// Remembers every dataset version the platform announces: retraining policies are matched
/// against it, and training jobs are validated against it without a call to Datasets.
/// Idempotent: a redelivery stores the same document again.
/// </summary>
public sealed partial class DatasetVersionCreatedConsumer(IDocumentSession session, ILogger<DatasetVersionCreatedConsumer> logger)
    : IConsumer<DatasetVersionCreated>
{
    public async Task Consume(ConsumeContext<DatasetVersionCreated> context)
    {
        var created = context.Message;
        session.Store(new KnownDatasetVersion(KnownDatasetVersion.IdFor(created.Dataset, created.Version), created.Dataset, created.Version, created.Sha256, created.RowCount));
        await session.SaveChangesAsync(context.CancellationToken);
        LogDatasetVersionSeen(logger, created.Dataset, created.Version);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Dataset version {Dataset}@{Version} is available for training")]
    private static partial void LogDatasetVersionSeen(ILogger logger, string dataset, int version);
}

/// <summary>A dataset version announced by the Datasets service.</summary>
public sealed record KnownDatasetVersion(string Id, string Dataset, int Version, string Sha256, long RowCount)
{
    public static string IdFor(string dataset, int version) => $"{dataset}@{version}";
}
