using Grpc.Core;
using MlPlatform.Api.Tracking.V1;
using TrackingClient = MlPlatform.Api.Tracking.V1.Tracking.TrackingClient;

namespace MlPlatform.Client.Tests;

public sealed class ActiveRunTests(TrackingServiceFactory factory) : IClassFixture<TrackingServiceFactory>
{
    // Long enough that only full batches, FlushAsync and the end send points.
    private static readonly TimeSpan s_never = TimeSpan.FromHours(1);

    private readonly TrackingClient _client = factory.Client;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Points_logged_one_by_one_arrive_complete_and_in_order()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await using var run = await _client.StartRunAsync(await NewExperimentAsync(), new RunOptions { BatchSize = 100, FlushInterval = s_never }, Cancel);
        for (var i = 0; i < 2_550; i++)
        {
            run.LogMetric("loss", 1.0 / (i + 1));
            if (i % 2 == 0)
            {
                run.LogMetric("acc", i, step: i);
            }
        }

        await run.FlushAsync(Cancel);

        var loss = await HistoryAsync(run.RunId, "loss");
        Assert.Equal(Enumerable.Range(0, 2_550).Select(i => (long)i), loss.Steps);
        Assert.Equal(Enumerable.Range(0, 2_550).Select(i => 1.0 / (i + 1)), loss.Values);
        Assert.Equal(loss.TimestampsMs.Order(), loss.TimestampsMs); // stamped when logged, in logging order
        Assert.InRange(loss.TimestampsMs[0], before, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var acc = await HistoryAsync(run.RunId, "acc");
        Assert.Equal(Enumerable.Range(0, 1_275).Select(i => (long)i * 2), acc.Steps);
    }

    [Fact]
    public async Task A_default_step_follows_the_keys_last_step_and_equal_steps_keep_their_order()
    {
        await using var run = await _client.StartRunAsync(await NewExperimentAsync(), cancellationToken: Cancel);
        run.LogMetric("m", 1, step: 10);
        run.LogMetric("m", 2);
        run.LogMetric("m", 3, step: 5);
        run.LogMetric("m", 4, step: 5);
        run.LogMetric("m", 5);

        await run.FlushAsync(Cancel);

        var history = await HistoryAsync(run.RunId, "m");
        Assert.Equal([5L, 5, 6, 10, 11], history.Steps);
        Assert.Equal([3.0, 4, 5, 1, 2], history.Values);
    }

    [Fact]
    public async Task NaN_and_infinities_are_stored_as_they_are()
    {
        await using var run = await _client.StartRunAsync(await NewExperimentAsync(), cancellationToken: Cancel);
        run.LogMetric("v", double.NaN);
        run.LogMetric("v", double.PositiveInfinity);
        run.LogMetric("v", double.NegativeInfinity);

        await run.FlushAsync(Cancel);

        Assert.Equal([double.NaN, double.PositiveInfinity, double.NegativeInfinity], (await HistoryAsync(run.RunId, "v")).Values);
    }

    [Fact]
    public async Task Ten_thousand_points_are_sent_in_ten_calls()
    {
        var probe = new LogMetricsProbe();
        await using var run = await factory.ClientThrough(probe).StartRunAsync(await NewExperimentAsync(), new RunOptions { FlushInterval = s_never }, Cancel);
        for (var i = 0; i < 10_000; i++)
        {
            run.LogMetric(i % 2 == 0 ? "loss" : "acc", i);
        }

        await run.FlushAsync(Cancel);

        Assert.Equal(Enumerable.Repeat(1_000, 10), probe.BatchSizes);
        Assert.Equal(5_000, (await HistoryAsync(run.RunId, "loss")).Steps.Count);
        Assert.Equal(5_000, (await HistoryAsync(run.RunId, "acc")).Steps.Count);
    }

    [Fact]
    public async Task A_point_left_alone_is_sent_when_the_flush_interval_has_passed()
    {
        var probe = new LogMetricsProbe();
        await using var run = await factory.ClientThrough(probe).StartRunAsync(
            await NewExperimentAsync(), new RunOptions { FlushInterval = TimeSpan.FromMilliseconds(20) }, Cancel);

        run.LogMetric("loss", 0.5);
        await probe.WhenCallsEnded(1);

        Assert.Equal([0.5], (await HistoryAsync(run.RunId, "loss")).Values);
    }

    [Fact]
    public async Task Disposing_stores_every_point_and_ends_the_run_finished()
    {
        string runId;
        await using (var run = await _client.StartRunAsync(await NewExperimentAsync(), new RunOptions { FlushInterval = s_never }, Cancel))
        {
            runId = run.RunId;
            for (var i = 0; i < 3_001; i++)
            {
                run.LogMetric("loss", i);
            }
        }

        var ended = await GetRunAsync(runId);
        Assert.Equal(RunStatus.Finished, ended.Status);
        Assert.Equal(3_001, (await HistoryAsync(runId, "loss")).Steps.Count);
        Assert.Equal((3_000.0, 3_000L), (ended.LatestMetrics.Single().Value, ended.LatestMetrics.Single().Step));
    }

    [Fact]
    public async Task RunAsync_ends_the_run_failed_and_rethrows_when_training_throws()
    {
        var experiment = await NewExperimentAsync();
        var failure = new InvalidOperationException("diverged");
        string? runId = null;

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => _client.RunAsync(experiment, run =>
        {
            runId = run.RunId;
            run.LogMetric("loss", double.NaN);
            throw failure;
        }, cancellationToken: Cancel));

        Assert.Same(failure, thrown);
        var ended = await GetRunAsync(runId!);
        Assert.Equal(RunStatus.Failed, ended.Status);
        Assert.Single(ended.LatestMetrics); // what was logged before the failure is kept
    }

    [Fact]
    public async Task RunAsync_ends_the_run_finished_when_training_returns()
    {
        var experiment = await NewExperimentAsync();
        string? runId = null;

        await _client.RunAsync(experiment, run =>
        {
            runId = run.RunId;
            run.LogMetric("loss", 0.1);
            return Task.CompletedTask;
        }, cancellationToken: Cancel);

        var ended = await GetRunAsync(runId!);
        Assert.Equal(RunStatus.Finished, ended.Status);
        Assert.Single(ended.LatestMetrics);
    }

    [Fact]
    public async Task RunAsync_reports_both_the_training_error_and_points_it_could_not_store()
    {
        var experiment = await NewExperimentAsync();
        var failure = new InvalidOperationException("diverged");

        var thrown = await Assert.ThrowsAsync<AggregateException>(() => _client.RunAsync(experiment, async run =>
        {
            await _client.EndRunAsync(new EndRunRequest { RunId = run.RunId, Status = RunStatus.Finished }, cancellationToken: Cancel);
            run.LogMetric("loss", 1);
            throw failure;
        }, new RunOptions { FlushInterval = s_never }, Cancel));

        Assert.Same(failure, thrown.InnerExceptions[0]);
        Assert.IsType<MetricsNotStoredException>(thrown.InnerExceptions[1]);
    }

    [Fact]
    public async Task A_run_whose_params_are_refused_at_start_is_not_left_running()
    {
        var experiment = await NewExperimentAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            _client.StartRunAsync(experiment, new RunOptions { Params = { ["notes"] = new string('x', 6_001) } }, Cancel));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var runs = await _client.SearchRunsAsync(new SearchRunsRequest { Experiments = { experiment } }, cancellationToken: Cancel);
        Assert.Equal(RunStatus.Failed, Assert.Single(runs.Runs).Status);
    }

    [Fact]
    public async Task Logging_to_a_run_someone_else_ended_fails_the_next_flush_and_every_later_metric_call()
    {
        await using var run = await _client.StartRunAsync(await NewExperimentAsync(), new RunOptions { FlushInterval = s_never }, Cancel);
        await _client.EndRunAsync(new EndRunRequest { RunId = run.RunId, Status = RunStatus.Killed }, cancellationToken: Cancel);
        run.LogMetric("loss", 1);

        var error = await Assert.ThrowsAsync<MetricsNotStoredException>(() => run.FlushAsync(Cancel));

        Assert.Equal(StatusCode.FailedPrecondition, Assert.IsType<RpcException>(error.InnerException).StatusCode);
        Assert.Contains($"Run {run.RunId}: 1 logged metric point(s) were not stored", error.Message, StringComparison.Ordinal);
        Assert.Throws<MetricsNotStoredException>(() => run.LogMetric("loss", 2));
        await Assert.ThrowsAsync<MetricsNotStoredException>(() => run.FlushAsync(Cancel));
    }

    [Fact]
    public async Task A_failed_background_flush_is_thrown_by_the_next_LogMetric_and_disposing_then_leaves_the_run_alone()
    {
        var run = await _client.StartRunAsync(await NewExperimentAsync(), new RunOptions { FlushInterval = TimeSpan.FromMilliseconds(20) }, Cancel);
        await _client.EndRunAsync(new EndRunRequest { RunId = run.RunId, Status = RunStatus.Killed }, cancellationToken: Cancel);

        run.LogMetric("loss", 1);
        // The call ending is not enough: the sender records the failure just after it sees the error.
        await run.Sender.WaitAsync(TimeSpan.FromSeconds(30), Cancel);

        var error = Assert.Throws<MetricsNotStoredException>(() => run.LogMetric("loss", 2));
        Assert.Equal(StatusCode.FailedPrecondition, Assert.IsType<RpcException>(error.InnerException).StatusCode);
        await run.DisposeAsync();
        Assert.Equal(RunStatus.Killed, (await GetRunAsync(run.RunId)).Status);
    }

    [Fact]
    public async Task A_failure_nobody_was_told_about_is_thrown_by_dispose()
    {
        var run = await _client.StartRunAsync(await NewExperimentAsync(), new RunOptions { FlushInterval = s_never }, Cancel);
        await _client.EndRunAsync(new EndRunRequest { RunId = run.RunId, Status = RunStatus.Killed }, cancellationToken: Cancel);
        run.LogMetric("loss", 1);

        var error = await Assert.ThrowsAsync<MetricsNotStoredException>(() => run.DisposeAsync().AsTask());

        Assert.Contains("Ending the run failed too (FailedPrecondition", error.Message, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Killed, (await GetRunAsync(run.RunId)).Status);
    }

    [Fact]
    public async Task LogMetric_blocks_while_the_buffer_is_full_and_no_point_is_lost()
    {
        var probe = new LogMetricsProbe();
        var run = await factory.ClientThrough(probe).StartRunAsync(
            await NewExperimentAsync(), new RunOptions { BatchSize = 1_000, MaxBufferedPoints = 2_000, FlushInterval = s_never }, Cancel);
        probe.Hold(); // the service stops answering
        for (var i = 0; i < 2_000; i++)
        {
            run.LogMetric("loss", i);
        }

        var blocked = Task.Run(() => run.LogMetric("loss", 2_000), Cancel);

        // Proves nothing on its own when the machine is slow, but can never fail spuriously.
        await Task.WhenAny(blocked, Task.Delay(300, Cancel));
        Assert.False(blocked.IsCompleted);
        Assert.All(probe.BatchSizes, size => Assert.Equal(1_000, size));
        probe.Release();
        await blocked.WaitAsync(TimeSpan.FromSeconds(30), Cancel);
        await run.DisposeAsync();
        Assert.Equal(Enumerable.Range(0, 2_001).Select(i => (double)i), (await HistoryAsync(run.RunId, "loss")).Values);
    }

    [Fact]
    public async Task Several_threads_may_log_to_one_run_at_once()
    {
        await using var run = await _client.StartRunAsync(await NewExperimentAsync(), new RunOptions { BatchSize = 500, MaxBufferedPoints = 1_000 }, Cancel);

        await Parallel.ForAsync(0, 4, Cancel, (thread, _) =>
        {
            for (var i = 0; i < 2_500; i++)
            {
                run.LogMetric($"m{thread}", i);
            }

            return ValueTask.CompletedTask;
        });
        await run.FlushAsync(Cancel);

        for (var thread = 0; thread < 4; thread++)
        {
            var history = await HistoryAsync(run.RunId, $"m{thread}");
            Assert.Equal(Enumerable.Range(0, 2_500).Select(i => (long)i), history.Steps);
            Assert.Equal(Enumerable.Range(0, 2_500).Select(i => (double)i), history.Values);
        }
    }

    [Fact]
    public async Task Params_tags_dataset_inputs_and_the_parent_run_are_recorded()
    {
        var experiment = await NewExperimentAsync();
        await using var parent = await _client.StartRunAsync(experiment, new RunOptions
        {
            Name = "sweep",
            Params = { ["trainer"] = "FastTree" },
            Tags = { ["team"] = "churn" },
            DatasetInputs = { "churn@3", "prices@12" },
        }, Cancel);
        await using var child = await _client.StartRunAsync(experiment, new RunOptions { Name = "fasttree-1", ParentRunId = parent.RunId, Params = { ["lr"] = "0.1" } }, Cancel);
        await child.LogParamsAsync(new Dictionary<string, string> { ["leaves"] = "31" }, Cancel);
        await child.SetTagsAsync(new Dictionary<string, string> { ["stage"] = "tuning" }, Cancel);

        var parentRun = await GetRunAsync(parent.RunId);
        Assert.Equal("sweep", parent.Name);
        Assert.Equal(new Dictionary<string, string> { ["trainer"] = "FastTree" }, parentRun.Params);
        Assert.Equal("churn", parentRun.Tags["team"]);
        Assert.Equal([("churn", 3), ("prices", 12)], parentRun.DatasetInputs.Select(d => (d.Name, d.Version)).Order());
        var childRun = await GetRunAsync(child.RunId);
        Assert.Equal(parent.RunId, childRun.ParentRunId);
        Assert.Equal("fasttree-1", childRun.RunName);
        Assert.Equal(new Dictionary<string, string> { ["lr"] = "0.1", ["leaves"] = "31" }, childRun.Params);
        Assert.Equal("tuning", childRun.Tags["stage"]);
    }

    [Fact]
    public async Task An_ended_run_takes_no_more_points_and_ends_once()
    {
        var run = await _client.StartRunAsync(await NewExperimentAsync(), cancellationToken: Cancel);
        run.LogMetric("loss", 1);
        await run.EndAsync(RunStatus.Killed, Cancel);

        Assert.Throws<InvalidOperationException>(() => run.LogMetric("loss", 2));
        await Assert.ThrowsAsync<InvalidOperationException>(() => run.EndAsync(cancellationToken: Cancel));
        await run.DisposeAsync();
        var ended = await GetRunAsync(run.RunId);
        Assert.Equal(RunStatus.Killed, ended.Status);
        Assert.Single(ended.LatestMetrics);
    }

    [Fact]
    public async Task A_bad_metric_key_fails_at_once_instead_of_failing_a_batch()
    {
        await using var run = await _client.StartRunAsync(await NewExperimentAsync(), cancellationToken: Cancel);

        Assert.Throws<ArgumentException>(() => run.LogMetric("", 1));
        Assert.Throws<ArgumentException>(() => run.LogMetric(new string('k', 251), 1));
        run.LogMetric("ok", 1);
        await run.FlushAsync(Cancel);
    }

    private async Task<string> NewExperimentAsync() =>
        (await _client.CreateExperimentAsync(new CreateExperimentRequest { Name = $"exp-{Guid.NewGuid():N}" }, cancellationToken: Cancel)).Name;

    private async Task<Run> GetRunAsync(string runId) =>
        await _client.GetRunAsync(new GetRunRequest { RunId = runId }, cancellationToken: Cancel);

    private async Task<MetricHistory> HistoryAsync(string runId, string key)
    {
        var history = await _client.GetMetricHistoryAsync(new GetMetricHistoryRequest { RunId = runId, Key = key, PageSize = 100_000 }, cancellationToken: Cancel);
        Assert.Empty(history.NextPageToken);
        return history;
    }
}
