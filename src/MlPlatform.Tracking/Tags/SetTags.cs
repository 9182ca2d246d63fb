using Marten;
using MlPlatform.Tracking.Runs;
using TrackingApi = MlPlatform.Api.Tracking.V1;

namespace MlPlatform.Tracking.Tags;

internal static class SetTags
{
    /// <summary>Tags can be overwritten at any time, also after the run ended (not once it is deleted).</summary>
    public static async Task<TrackingApi.SetTagsResponse> HandleAsync(IDocumentSession session, TrackingApi.SetTagsRequest request, CancellationToken cancellationToken)
    {
        var pairs = KeyValues.Validate(request.Tags, "tag");
        var (stream, run) = await RunStreams.LockAsync(session, request.RunId, cancellationToken);
        run.EnsureNotDeleted();

        var changed = pairs
            .Where(p => !run.Tags.TryGetValue(p.Key, out var current) || current != p.Value)
            .ToDictionary();
        if (changed.Count > 0)
        {
            stream.AppendOne(new TagsSet(changed));
            await session.SaveChangesAsync(cancellationToken);
        }

        return new TrackingApi.SetTagsResponse();
    }
}
