using Grpc.Core;
using MlPlatform.Api.Tracking.V1;
using TrackingClient = MlPlatform.Api.Tracking.V1.Tracking.TrackingClient;

namespace MlPlatform.Tracking.Tests.Runs;

public sealed class ParamsAndTagsTests(TrackingFactory factory) : IClassFixture<TrackingFactory>
{
    private readonly TrackingClient _client = factory.Client;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Params_are_write_once_but_the_same_value_may_be_logged_again()
    {
        var run = await _client.NewRunAsync();
        await LogParamsAsync(run.RunId, ("lr", "0.1"), ("trainer", "FastTree"));
        await LogParamsAsync(run.RunId, ("lr", "0.1"), ("depth", "6"));

        var error = await Expect.Status(StatusCode.FailedPrecondition, () => LogParamsAsync(run.RunId, ("lr", "0.2")), "'lr'", "'0.1'", "'0.2'");
        Assert.Contains("write-once", error.Status.Detail, StringComparison.Ordinal);

        var stored = await _client.GetAsync(run.RunId);
        Assert.Equal(new Dictionary<string, string> { ["lr"] = "0.1", ["trainer"] = "FastTree", ["depth"] = "6" }, stored.Params);
    }

    [Fact]
    public async Task A_rejected_batch_of_params_stores_none_of_them()
    {
        var run = await _client.NewRunAsync();
        await LogParamsAsync(run.RunId, ("lr", "0.1"));
        await Expect.Status(StatusCode.FailedPrecondition, () => LogParamsAsync(run.RunId, ("epochs", "10"), ("lr", "0.3")));

        Assert.DoesNotContain("epochs", (await _client.GetAsync(run.RunId)).Params.Keys);
    }

    [Fact]
    public async Task Params_and_tags_have_size_limits()
    {
        var run = await _client.NewRunAsync();
        await LogParamsAsync(run.RunId, (new string('k', 250), new string('v', 6000)));

        await Expect.Status(StatusCode.InvalidArgument, () => LogParamsAsync(run.RunId, (new string('k', 251), "v")), "251", "250");
        await Expect.Status(StatusCode.InvalidArgument, () => LogParamsAsync(run.RunId, ("big", new string('v', 6001))), "6001", "6000");
        await Expect.Status(StatusCode.InvalidArgument, () => LogParamsAsync(run.RunId, ("", "v")), "empty");
        await Expect.Status(StatusCode.InvalidArgument, () => _client.SetTagsAsync(new SetTagsRequest { RunId = run.RunId, Tags = { ["t"] = new string('v', 6001) } }, cancellationToken: Cancel).ResponseAsync, "6001");
    }

    [Fact]
    public async Task Params_can_only_be_logged_while_the_run_runs()
    {
        var run = await _client.NewRunAsync();
        await _client.EndAsync(run.RunId);

        await Expect.Status(StatusCode.FailedPrecondition, () => LogParamsAsync(run.RunId, ("lr", "0.1")), "FINISHED");
        await Expect.Status(StatusCode.NotFound, () => LogParamsAsync("missing", ("lr", "0.1")));
    }

    [Fact]
    public async Task Tags_can_be_overwritten_also_after_the_run_ended()
    {
        var run = await _client.NewRunAsync();
        await SetTagsAsync(run.RunId, ("stage", "draft"), ("team", "a"));
        await _client.EndAsync(run.RunId);
        await SetTagsAsync(run.RunId, ("stage", "reviewed"));

        var stored = await _client.GetAsync(run.RunId);
        Assert.Equal(new Dictionary<string, string> { ["stage"] = "reviewed", ["team"] = "a" }, stored.Tags);
    }

    [Fact]
    public async Task Several_clients_logging_params_to_one_run_all_succeed()
    {
        var run = await _client.NewRunAsync();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => LogParamsAsync(run.RunId, ($"p{i}", $"{i}"), ("shared", "same"))));

        var stored = await _client.GetAsync(run.RunId);
        Assert.Equal(9, stored.Params.Count);
    }

    private Task<LogParamsResponse> LogParamsAsync(string runId, params (string Key, string Value)[] pairs) =>
        _client.LogParamsAsync(new LogParamsRequest { RunId = runId, Params = { pairs.ToDictionary(p => p.Key, p => p.Value) } }, cancellationToken: Cancel).ResponseAsync;

    private Task<SetTagsResponse> SetTagsAsync(string runId, params (string Key, string Value)[] pairs) =>
        _client.SetTagsAsync(new SetTagsRequest { RunId = runId, Tags = { pairs.ToDictionary(p => p.Key, p => p.Value) } }, cancellationToken: Cancel).ResponseAsync;
}
