using MlPlatform.Hosting.Grpc;

namespace MlPlatform.Tracking.Runs;

internal static class RunIds
{
    /// <summary>Run ids are version-7 GUIDs in "N" form: time-ordered, 32 hex digits.</summary>
    public static string New() => Guid.CreateVersion7().ToString("N");

    public static string Require(string runId) =>
        runId.Length > 0 ? runId : throw Errors.InvalidArgument("run_id is required.");
}
