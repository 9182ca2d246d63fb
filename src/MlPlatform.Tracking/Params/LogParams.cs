using Marten;
using MlPlatform.Hosting.Grpc;
using MlPlatform.Tracking.Runs;
using TrackingApi = MlPlatform.Api.Tracking.V1;

namespace MlPlatform.Tracking.Params;

internal static class LogParams
{
    /// <summary>Params are write-once: the same value again is a no-op, another value fails.</summary>
    public static async Task<TrackingApi.LogParamsResponse> HandleAsync(IDocumentSession session, TrackingApi.LogParamsRequest request, CancellationToken cancellationToken)
    {
        var pairs = KeyValues.Validate(request.Params, "param");
        var (stream, run) = await RunStreams.LockAsync(session, request.RunId, cancellationToken);
        run.EnsureRunning("params");

        var added = new Dictionary<string, string>();
        foreach (var (key, value) in pairs)
        {
            if (!run.Params.TryGetValue(key, out var existing))
            {
                added[key] = value;
            }
            else if (existing != value)
            {
                throw Errors.FailedPrecondition(
                    $"Param '{key}' of run '{run.Id}' is already '{KeyValues.Shorten(existing)}'; params are write-once, so it cannot become '{KeyValues.Shorten(value)}'. Log the new value under another key or in a new run.");
            }
        }

        if (added.Count > 0)
        {
            stream.AppendOne(new ParamsLogged(added));
            await session.SaveChangesAsync(cancellationToken);
        }

        return new TrackingApi.LogParamsResponse();
    }
}
