using JasperFx.Events;
using Marten;
using MlPlatform.Hosting.Validation;

namespace MlPlatform.Registry.ModelCatalog;

internal static class ModelStreams
{
    /// <summary>
    /// The model's stream, row-locked until the session commits: writers to one model (concurrent
    /// registrations, alias moves) queue up instead of failing, so version numbers come out
    /// consecutive and a compare-and-set sees the value it replaces.
    /// </summary>
    public static async Task<(IEventStream<RegisteredModel> Stream, RegisteredModel Model)> LockAsync(
        IDocumentSession session, string name, CancellationToken cancellationToken)
    {
        var stream = await session.Events.FetchForExclusiveWriting<RegisteredModel>(ResourceName.Validate(name, "Model"), cancellationToken);
        return stream.Aggregate is { } model ? (stream, model) : throw Catalog.ModelNotFound(name);
    }
}
