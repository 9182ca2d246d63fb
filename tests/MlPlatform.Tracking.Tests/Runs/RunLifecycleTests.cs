using System.Text.Json;
using Grpc.Core;
using MlPlatform.Api.Tracking.V1;
using TrackingClient = MlPlatform.Api.Tracking.V1.Tracking.TrackingClient;

namespace MlPlatform.Tracking.Tests.Runs;

public sealed class RunLifecycleTests(TrackingFactory factory) : IClassFixture<TrackingFactory>
{
    private readonly TrackingClient _client = factory.Client;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Starting_a_run_returns_it_running_with_its_tags_and_dataset_inputs()
    {
        var experiment = await _client.NewExperimentAsync();
        var run = await _client.StartRunAsync(new StartRunRequest
        {
            Experiment = experiment.Name,
            RunName = "first",
            Tags = { ["team"] = "vision" },
            DatasetInputs = { new DatasetInput { Name = "iris", Version = 3 } },
        }, cancellationToken: Cancel);

        Assert.Equal(RunStatus.Running, run.Status);
        Assert.Equal("first", run.RunName);
        Assert.Equal(experiment.Id, run.ExperimentId);
        Assert.Equal("vision", run.Tags["team"]);
        Assert.Equal(new DatasetInput { Name = "iris", Version = 3 }, Assert.Single(run.DatasetInputs));
        Assert.Null(run.EndTime);
        Assert.Equal(run, await _client.GetAsync(run.RunId));
    }

    [Fact]
    public async Task A_run_without_a_name_gets_one()
    {
        var run = await _client.NewRunAsync();
        Assert.StartsWith("run-", run.RunName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nested_runs_live_in_their_parents_experiment()
    {
        var experiment = await _client.NewExperimentAsync();
        var parent = await _client.NewRunAsync(experiment.Name);
        var child = await _client.StartRunAsync(new StartRunRequest { Experiment = experiment.Id, ParentRunId = parent.RunId }, cancellationToken: Cancel);
        Assert.Equal(parent.RunId, child.ParentRunId);

        var elsewhere = await _client.NewExperimentAsync();
        await Expect.Status(StatusCode.InvalidArgument, () => _client.StartRunAsync(new StartRunRequest { Experiment = elsewhere.Name, ParentRunId = parent.RunId }, cancellationToken: Cancel).ResponseAsync, "another experiment");
        await Expect.Status(StatusCode.NotFound, () => _client.StartRunAsync(new StartRunRequest { Experiment = experiment.Name, ParentRunId = "nope" }, cancellationToken: Cancel).ResponseAsync, "nope");
    }

    [Theory]
    [InlineData("", 1, "name is required")]
    [InlineData("Iris", 1, "invalid")]
    [InlineData("iris", 0, "needs a version")]
    public async Task Dataset_inputs_name_a_dataset_version(string name, int version, string message)
    {
        var experiment = await _client.NewExperimentAsync();
        await Expect.Status(StatusCode.InvalidArgument, () => _client.StartRunAsync(new StartRunRequest
        {
            Experiment = experiment.Name,
            DatasetInputs = { new DatasetInput { Name = name, Version = version } },
        }, cancellationToken: Cancel).ResponseAsync, message);
    }

    [Fact]
    public async Task Starting_a_run_needs_an_existing_experiment()
    {
        await Expect.Status(StatusCode.NotFound, () => _client.NewRunAsync("no-such-experiment"), "no-such-experiment");
        await Expect.Status(StatusCode.InvalidArgument, () => _client.NewRunAsync(""));
    }

    [Fact]
    public async Task Ending_a_run_records_its_status_and_end_time()
    {
        var run = await _client.NewRunAsync();
        await _client.LogAsync(run.RunId, ("loss", 0.5, 1), ("loss", 0.25, 2));

        var ended = await _client.EndAsync(run.RunId, RunStatus.Failed);

        Assert.Equal(RunStatus.Failed, ended.Status);
        Assert.NotNull(ended.EndTime);
        Assert.Equal(0.25, Assert.Single(ended.LatestMetrics).Value);
        Assert.Equal(ended, await _client.GetAsync(run.RunId));
    }

    [Fact]
    public async Task Ending_twice_the_same_way_changes_nothing_but_another_status_fails()
    {
        var run = await _client.NewRunAsync();
        var ended = await _client.EndAsync(run.RunId, RunStatus.Finished);

        Assert.Equal(ended, await _client.EndAsync(run.RunId, RunStatus.Finished));
        await Expect.Status(StatusCode.FailedPrecondition, () => _client.EndAsync(run.RunId, RunStatus.Killed), "FINISHED", "KILLED");
    }

    [Theory]
    [InlineData(RunStatus.Running)]
    [InlineData(RunStatus.Unspecified)]
    public async Task A_run_ends_as_finished_failed_or_killed(RunStatus status)
    {
        var run = await _client.NewRunAsync();
        await Expect.Status(StatusCode.InvalidArgument, () => _client.EndAsync(run.RunId, status), "FINISHED, FAILED or KILLED");
    }

    [Fact]
    public async Task Unknown_runs_are_not_found()
    {
        await Expect.Status(StatusCode.NotFound, () => _client.GetAsync("0123456789abcdef0123456789abcdef"), "0123456789abcdef0123456789abcdef");
        await Expect.Status(StatusCode.NotFound, () => _client.EndAsync("missing-run"), "missing-run");
        await Expect.Status(StatusCode.InvalidArgument, () => _client.GetAsync(""), "run_id is required");
    }

    [Fact]
    public async Task Deleted_runs_refuse_new_data_until_restored()
    {
        var run = await _client.NewRunAsync();
        var deleted = await _client.DeleteRunAsync(new DeleteRunRequest { RunId = run.RunId }, cancellationToken: Cancel);
        Assert.True(deleted.Deleted);
        Assert.True((await _client.DeleteRunAsync(new DeleteRunRequest { RunId = run.RunId }, cancellationToken: Cancel)).Deleted);

        await Expect.Status(StatusCode.FailedPrecondition, () => _client.LogAsync(run.RunId, ("loss", 1, 1)), "deleted");
        await Expect.Status(StatusCode.FailedPrecondition, () => _client.LogParamsAsync(new LogParamsRequest { RunId = run.RunId, Params = { ["a"] = "1" } }, cancellationToken: Cancel).ResponseAsync, "deleted");
        await Expect.Status(StatusCode.FailedPrecondition, () => _client.SetTagsAsync(new SetTagsRequest { RunId = run.RunId, Tags = { ["a"] = "1" } }, cancellationToken: Cancel).ResponseAsync, "deleted");
        await Expect.Status(StatusCode.FailedPrecondition, () => _client.EndAsync(run.RunId), "deleted");

        var restored = await _client.RestoreRunAsync(new RestoreRunRequest { RunId = run.RunId }, cancellationToken: Cancel);
        Assert.False(restored.Deleted);
        await _client.LogAsync(run.RunId, ("loss", 1, 1));
    }

    [Fact]
    public async Task History_lists_the_runs_events_in_order_with_their_actor()
    {
        var run = await _client.NewRunAsync();
        await _client.LogParamsAsync(new LogParamsRequest { RunId = run.RunId, Params = { ["lr"] = "0.1" } }, cancellationToken: Cancel);
        await _client.SetTagsAsync(new SetTagsRequest { RunId = run.RunId, Tags = { ["team"] = "a" } }, cancellationToken: Cancel);
        await _client.EndAsync(run.RunId);
        await _client.DeleteRunAsync(new DeleteRunRequest { RunId = run.RunId }, cancellationToken: Cancel);
        await _client.RestoreRunAsync(new RestoreRunRequest { RunId = run.RunId }, cancellationToken: Cancel);

        var history = await _client.GetRunHistoryAsync(new GetRunHistoryRequest { RunId = run.RunId }, cancellationToken: Cancel);

        Assert.Equal(
            ["run_started", "params_logged", "tags_set", "run_ended", "run_deleted", "run_restored"],
            history.Events.Select(e => e.Type));
        Assert.Equal([1L, 2, 3, 4, 5, 6], history.Events.Select(e => e.Version));
        Assert.All(history.Events, e => Assert.Equal("anonymous", e.Actor.Name));
        Assert.Equal("Finished", JsonDocument.Parse(history.Events[3].DataJson).RootElement.GetProperty("status").GetString());
        Assert.Empty(history.NextPageToken);
    }

    [Fact]
    public async Task History_pages_follow_each_other()
    {
        var run = await _client.NewRunAsync();
        for (var i = 0; i < 4; i++)
        {
            await _client.SetTagsAsync(new SetTagsRequest { RunId = run.RunId, Tags = { ["step"] = $"{i}" } }, cancellationToken: Cancel);
        }

        var versions = new List<long>();
        var request = new GetRunHistoryRequest { RunId = run.RunId, PageSize = 2 };
        do
        {
            var page = await _client.GetRunHistoryAsync(request, cancellationToken: Cancel);
            versions.AddRange(page.Events.Select(e => e.Version));
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        Assert.Equal([1L, 2, 3, 4, 5], versions);
        await Expect.Status(StatusCode.NotFound, () => _client.GetRunHistoryAsync(new GetRunHistoryRequest { RunId = "missing" }, cancellationToken: Cancel).ResponseAsync);
    }
}
