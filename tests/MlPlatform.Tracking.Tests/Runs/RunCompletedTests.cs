using MlPlatform.Api.Tracking.V1;
using MlPlatform.Contracts;
using MlPlatform.TestSupport.Services;
using TrackingClient = MlPlatform.Api.Tracking.V1.Tracking.TrackingClient;

namespace MlPlatform.Tracking.Tests.Runs;

/// <summary>RunCompleted leaves through the durable outbox: on a real broker, and despite an outage of it.</summary>
public sealed class RunCompletedTests(TrackingWithOwnBrokerFactory factory) : IClassFixture<TrackingWithOwnBrokerFactory>
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);
    private readonly TrackingClient _client = factory.Client;

    [Fact]
    public async Task Ending_a_run_publishes_RunCompleted_with_its_final_metrics()
    {
        await using var probe = await EventProbe<RunCompleted>.StartAsync(factory.MessagingConnectionString, TestContext.Current.CancellationToken);
        var run = await _client.NewRunAsync();
        await _client.LogAsync(run.RunId, ("rmse", 0.5, 1), ("rmse", 0.3, 2), ("acc", 0.9, 2), ("diverged", double.NaN, 2));

        await _client.EndAsync(run.RunId, RunStatus.Failed);
        await _client.EndAsync(run.RunId, RunStatus.Failed); // ending again publishes nothing new
        var completed = (await probe.WaitForOnlyAsync(e => e.RunId == run.RunId, s_timeout)).Message;

        Assert.Equal(run.ExperimentId, completed.ExperimentId);
        Assert.Equal("FAILED", completed.Status);
        Assert.Equal(new Dictionary<string, double> { ["acc"] = 0.9, ["rmse"] = 0.3 }, completed.FinalMetrics); // JSON has no NaN
    }

    [Fact]
    public async Task RunCompleted_is_delivered_after_a_broker_outage()
    {
        await using var probe = await EventProbe<RunCompleted>.StartAsync(factory.MessagingConnectionString, TestContext.Current.CancellationToken);
        var run = await _client.NewRunAsync();

        await factory.Broker!.StopAsync();
        try
        {
            // The run ends while the broker is down: the event waits in the outbox.
            await _client.EndAsync(run.RunId);
        }
        finally
        {
            await factory.Broker.StartAgainAsync(TestContext.Current.CancellationToken);
        }

        var completed = await probe.WaitForAsync(e => e.RunId == run.RunId, s_timeout);
        Assert.Equal("FINISHED", completed.Status);
    }
}
