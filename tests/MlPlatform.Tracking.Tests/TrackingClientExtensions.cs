using Grpc.Core;
using MlPlatform.Api.Tracking.V1;
using TrackingClient = MlPlatform.Api.Tracking.V1.Tracking.TrackingClient;

namespace MlPlatform.Tracking.Tests;

/// <summary>Short ways to set up what a test needs, and to expect a failure.</summary>
internal static class TrackingClientExtensions
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static Task<Experiment> NewExperimentAsync(this TrackingClient client) =>
        client.CreateExperimentAsync(new CreateExperimentRequest { Name = $"exp-{Guid.NewGuid():N}" }, cancellationToken: Cancel).ResponseAsync;

    public static async Task<Run> NewRunAsync(this TrackingClient client, string? experiment = null, string runName = "")
    {
        experiment ??= (await client.NewExperimentAsync()).Name;
        return await client.StartRunAsync(new StartRunRequest { Experiment = experiment, RunName = runName }, cancellationToken: Cancel);
    }

    public static Task<LogMetricsResponse> LogAsync(this TrackingClient client, string runId, params (string Key, double Value, long Step)[] points) =>
        client.LogMetricsAsync(new LogMetricsRequest
        {
            RunId = runId,
            Points = { points.Select(p => new MetricPoint { Key = p.Key, Value = p.Value, Step = p.Step, TimestampMs = 1_700_000_000_000 + p.Step }) },
        }, cancellationToken: Cancel).ResponseAsync;

    public static Task<Run> EndAsync(this TrackingClient client, string runId, RunStatus status = RunStatus.Finished) =>
        client.EndRunAsync(new EndRunRequest { RunId = runId, Status = status }, cancellationToken: Cancel).ResponseAsync;

    public static Task<Run> GetAsync(this TrackingClient client, string runId) =>
        client.GetRunAsync(new GetRunRequest { RunId = runId }, cancellationToken: Cancel).ResponseAsync;
}

internal static class Expect
{
    /// <summary>The call fails with <paramref name="code"/> and a message containing every fragment.</summary>
    public static async Task<RpcException> Status(StatusCode code, Func<Task> call, params string[] fragments)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(code, error.StatusCode);
        foreach (var fragment in fragments)
        {
            Assert.Contains(fragment, error.Status.Detail, StringComparison.Ordinal);
        }

        return error;
    }
}
