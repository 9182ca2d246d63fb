using Marten;
using MlPlatform.Tracking.Runs;
using TrackingApi = MlPlatform.Api.Tracking.V1;

namespace MlPlatform.Tracking.Artifacts;

internal static class ListArtifacts
{
    public static async Task<TrackingApi.ListArtifactsResponse> HandleAsync(IQuerySession session, TrackingApi.ListArtifactsRequest request, CancellationToken cancellationToken)
    {
        var run = await RunLookup.GetAsync(session, request.RunId, cancellationToken);
        return new TrackingApi.ListArtifactsResponse
        {
            Artifacts =
            {
                run.Artifacts.Values
                    .Where(a => a.Path.StartsWith(request.Prefix, StringComparison.Ordinal))
                    .OrderBy(a => a.Path, StringComparer.Ordinal)
                    .Select(ArtifactMapping.ToApi),
            },
        };
    }
}
