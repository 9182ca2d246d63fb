using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Marten;
using MlPlatform.Hosting.EventStore;
using MlPlatform.Hosting.Grpc;
using TrackingApi = MlPlatform.Api.Tracking.V1;

namespace MlPlatform.Tracking.Runs;

/// <summary>GetRunHistory: the run's stream, event by event, with who made each change.</summary>
internal static class RunHistory
{
    // Metric values may be NaN or ±Infinity, and run status reads better as its name than its number.
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static async Task<TrackingApi.GetRunHistoryResponse> HandleAsync(IQuerySession session, TrackingApi.GetRunHistoryRequest request, CancellationToken cancellationToken)
    {
        var runId = RunIds.Require(request.RunId);
        var pageSize = Paging.PageSize(request.PageSize);
        var after = Paging.After(request.PageToken) is { } token
            ? long.TryParse(token, CultureInfo.InvariantCulture, out var version) ? version : throw Errors.InvalidArgument("page_token is not one this service issued.")
            : 0;

        var (events, continueAfter) = await StreamHistory.ReadPageAsync(session, runId, after, pageSize, s_json, cancellationToken);
        if (events.Count == 0 && after == 0)
        {
            throw Errors.NotFound($"Run '{runId}' does not exist.");
        }

        var response = new TrackingApi.GetRunHistoryResponse { Events = { events } };
        if (continueAfter is { } last)
        {
            response.NextPageToken = Paging.Token(last.ToString(CultureInfo.InvariantCulture));
        }

        return response;
    }
}
