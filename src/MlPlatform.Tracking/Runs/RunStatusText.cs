using TrackingApi = MlPlatform.Api.Tracking.V1;

namespace MlPlatform.Tracking.Runs;

internal static class RunStatusText
{
    /// <summary>RUNNING, FINISHED, FAILED or KILLED: how the search table, the filter language and RunCompleted spell it.</summary>
    public static string ToText(this RunStatus status) => status switch
    {
        RunStatus.Running => "RUNNING",
        RunStatus.Finished => "FINISHED",
        RunStatus.Failed => "FAILED",
        _ => "KILLED",
    };

    public static TrackingApi.RunStatus ToApi(this RunStatus status) => status switch
    {
        RunStatus.Running => TrackingApi.RunStatus.Running,
        RunStatus.Finished => TrackingApi.RunStatus.Finished,
        RunStatus.Failed => TrackingApi.RunStatus.Failed,
        _ => TrackingApi.RunStatus.Killed,
    };
}
