using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using MlPlatform.Api.Tracking.V1;
using TrackingClient = MlPlatform.Api.Tracking.V1.Tracking.TrackingClient;

namespace MlPlatform.Tracking.Tests.Search;

/// <summary>
/// Seven runs in two experiments (one deleted), searched on real PostgreSQL:
/// <code>
/// run exp status   rmse  acc  other metrics   params                  tags                   datasets
/// r1  a   FINISHED 0.10  0.9                  trainer=FastTree lr=0.1 team=a                 iris@1
/// r2  a   FINISHED 0.25  0.8                  trainer=LightGbm lr=0.01 team=b                iris@2
/// r3  a   FAILED   0.40                       trainer=FastTree lr=auto team=a, `owner name`
/// r4  a   RUNNING  NaN                        trainer=Sdca                                   wine@1
/// r5  a   KILLED         `val loss`=1.5       (none)                  team=c (child of r1)
/// r6  b   FINISHED 0.05                       trainer=FastTree        team=a
/// r7  a   deleted  0.01                       trainer=FastTree
/// </code>
/// Run rN starts at 2025-01-01T00:00:0N and ends ten seconds later.
/// </summary>
public sealed class SearchFactory : TrackingFactory, IAsyncLifetime
{
    public static readonly DateTimeOffset Epoch = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly Dictionary<string, string> _names = [];

    /// <summary>Run names by run id.</summary>
    public IReadOnlyDictionary<string, string> Names => _names;

    public new async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        var client = Client;
        await client.CreateExperimentAsync(new CreateExperimentRequest { Name = "search-a" });
        await client.CreateExperimentAsync(new CreateExperimentRequest { Name = "search-b" });
        var r1 = await AddAsync(client, 1, "search-a", RunStatus.Finished, [("rmse", 0.10), ("acc", 0.9)], [("trainer", "FastTree"), ("lr", "0.1")], [("team", "a")], [("iris", 1)]);
        await AddAsync(client, 2, "search-a", RunStatus.Finished, [("rmse", 0.25), ("acc", 0.8)], [("trainer", "LightGbm"), ("lr", "0.01")], [("team", "b")], [("iris", 2)]);
        await AddAsync(client, 3, "search-a", RunStatus.Failed, [("rmse", 0.40)], [("trainer", "FastTree"), ("lr", "auto")], [("team", "a"), ("owner name", "x y")], []);
        await AddAsync(client, 4, "search-a", RunStatus.Running, [("rmse", double.NaN)], [("trainer", "Sdca")], [], [("wine", 1)]);
        await AddAsync(client, 5, "search-a", RunStatus.Killed, [("val loss", 1.5)], [], [("team", "c")], [], parent: r1);
        await AddAsync(client, 6, "search-b", RunStatus.Finished, [("rmse", 0.05)], [("trainer", "FastTree")], [("team", "a")], []);
        var r7 = await AddAsync(client, 7, "search-a", RunStatus.Finished, [("rmse", 0.01)], [("trainer", "FastTree")], [], []);
        await client.DeleteRunAsync(new DeleteRunRequest { RunId = r7 });
    }

    private async Task<string> AddAsync(
        TrackingClient client, int n, string experiment, RunStatus status,
        (string Key, double Value)[] metrics, (string Key, string Value)[] parameters, (string Key, string Value)[] tags, (string Name, int Version)[] datasets,
        string parent = "")
    {
        var run = await client.StartRunAsync(new StartRunRequest
        {
            Experiment = experiment,
            RunName = $"r{n}",
            ParentRunId = parent,
            StartTime = Timestamp.FromDateTimeOffset(Epoch.AddSeconds(n)),
            Tags = { tags.ToDictionary(t => t.Key, t => t.Value) },
            DatasetInputs = { datasets.Select(d => new DatasetInput { Name = d.Name, Version = d.Version }) },
        });
        await client.LogParamsAsync(new LogParamsRequest { RunId = run.RunId, Params = { parameters.ToDictionary(p => p.Key, p => p.Value) } });
        await client.LogMetricsAsync(new LogMetricsRequest { RunId = run.RunId, Points = { metrics.Select(m => new MetricPoint { Key = m.Key, Value = m.Value, Step = 1 }) } });
        if (status != RunStatus.Running)
        {
            await client.EndRunAsync(new EndRunRequest { RunId = run.RunId, Status = status, EndTime = Timestamp.FromDateTimeOffset(Epoch.AddSeconds(n + 10)) });
        }

        _names[run.RunId] = run.RunName;
        return run.RunId;
    }
}

public sealed class SearchTests(SearchFactory factory) : IClassFixture<SearchFactory>
{
    private readonly TrackingClient _client = factory.Client;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("", "r1 r2 r3 r4 r5 r6")]
    [InlineData("metrics.rmse < 0.3", "r1 r2 r6")]
    [InlineData("metrics.rmse < 0.3 and params.trainer = 'FastTree'", "r1 r6")]
    [InlineData("METRICS.rmse < 0.3 AND PARAMS.trainer = 'FastTree'", "r1 r6")]
    [InlineData("metrics.rmse >= 0.3 or tags.team = 'c'", "r3 r4 r5")] // NaN is above every number, as in the sort order
    [InlineData("metrics.rmse = NaN", "r4")]
    [InlineData("metrics.rmse in (0.1, 0.25)", "r1 r2")]
    [InlineData("metrics.rmse not in (0.1, 0.25)", "r3 r4 r6")]
    [InlineData("metrics.rmse is null", "r5")]
    [InlineData("metrics.rmse != 0.1", "r2 r3 r4 r6")]
    [InlineData("not metrics.rmse < 0.3", "r3 r4 r5")]
    [InlineData("metrics.`val loss` > 1", "r5")]
    [InlineData("params.trainer in ('LightGbm', 'Sdca')", "r2 r4")]
    [InlineData("params.trainer not in ('FastTree')", "r2 r4")]
    [InlineData("params.trainer != 'FastTree'", "r2 r4")]
    [InlineData("not params.trainer = 'FastTree'", "r2 r4 r5")]
    [InlineData("params.trainer like 'Fast%'", "r1 r3 r6")]
    [InlineData("params.trainer ilike 'fast%'", "r1 r3 r6")]
    [InlineData("params.trainer not like 'Fast%'", "r2 r4")]
    [InlineData("not params.trainer like 'Fast%'", "r2 r4 r5")]
    [InlineData("params.lr < 0.05", "r2")]
    [InlineData("params.lr >= 0.01", "r1 r2")]
    [InlineData("params.lr = 'auto'", "r3")]
    [InlineData("params.lr != 0.1", "r2 r3")]
    [InlineData("tags.team is null", "r4")]
    [InlineData("tags.team is not null and not tags.team = 'a'", "r2 r5")]
    [InlineData("tags.`owner name` = 'x y'", "r3")]
    [InlineData("not (tags.team = 'a' or tags.team = 'b')", "r4 r5")]
    [InlineData("attributes.status = 'FINISHED'", "r1 r2 r6")]
    [InlineData("attributes.status in ('FAILED', 'KILLED')", "r3 r5")]
    [InlineData("attributes.status != 'running'", "r1 r2 r3 r5 r6")]
    [InlineData("attributes.end_time is null", "r4")]
    [InlineData("attributes.parent_run_id is not null", "r5")]
    [InlineData("attributes.run_name in ('r1', 'r6')", "r1 r6")]
    [InlineData("attributes.start_time >= '2025-01-01T00:00:04Z'", "r4 r5 r6")]
    [InlineData("attributes.start_time < 1735689603000", "r1 r2")]
    [InlineData("attributes.end_time > '2025-01-01T00:00:14Z'", "r5 r6")]
    [InlineData("datasets.iris >= 2", "r2")]
    [InlineData("datasets.iris is not null", "r1 r2")]
    [InlineData("datasets.wine = 1", "r4")]
    [InlineData("(metrics.rmse < 0.2 or metrics.acc > 0.85) and tags.team = 'a'", "r1 r6")]
    [InlineData("metrics.rmse < 0.3 and (params.trainer = 'FastTree' or tags.team = 'b')", "r1 r2 r6")]
    [InlineData("metrics.acc > 0.85 or metrics.rmse > 0.3 and attributes.status = 'FAILED'", "r1 r3")]
    public async Task Filters_return_exactly_the_matching_runs(string filter, string expected)
    {
        var names = await SearchAllAsync(filter, "", pageSize: 0);
        Assert.Equal(expected.Split(' '), names.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("", "r6 r5 r4 r3 r2 r1")]
    [InlineData("metrics.rmse", "r6 r1 r2 r3 r4 r5")]
    [InlineData("metrics.rmse desc", "r4 r3 r2 r1 r6 r5")]
    [InlineData("params.lr", "r2 r1 r3 r6 r5 r4")] // numbers numerically, then other text, then none
    [InlineData("params.trainer desc, metrics.rmse", "r4 r2 r6 r1 r3 r5")]
    [InlineData("tags.team, metrics.rmse desc", "r3 r1 r6 r2 r5 r4")]
    [InlineData("attributes.run_name desc", "r6 r5 r4 r3 r2 r1")]
    [InlineData("attributes.end_time", "r1 r2 r3 r5 r6 r4")]
    [InlineData("datasets.iris desc", "r2 r1 r6 r5 r4 r3")]
    public async Task Orders_put_nulls_last_and_pages_follow_the_order(string orderBy, string expected)
    {
        Assert.Equal(expected.Split(' '), await SearchAllAsync("", orderBy, pageSize: 0));
        Assert.Equal(expected.Split(' '), await SearchAllAsync("", orderBy, pageSize: 2));
    }

    // A page fills first from the runs with a value in the first sort column (walked in index
    // order, the filter tested on the way), then from those without: pages of 1 and 2 cross it.
    [Theory]
    [InlineData("metrics.rmse < 0.3 or tags.team = 'c'", "metrics.rmse desc", "r2 r1 r6 r5")]
    [InlineData("metrics.rmse < 0.3 or tags.team = 'c'", "metrics.rmse", "r6 r1 r2 r5")]
    [InlineData("params.trainer = 'FastTree' or metrics.acc > 0.85", "params.lr desc", "r1 r3 r6")]
    [InlineData("tags.team in ('a', 'b') and not metrics.rmse is null", "attributes.end_time desc", "r6 r3 r2 r1")]
    [InlineData("metrics.rmse is null or params.trainer = 'Sdca'", "metrics.`val loss`, attributes.run_name desc", "r5 r4")]
    public async Task Filtered_orders_page_across_runs_with_and_without_the_sort_value(string filter, string orderBy, string expected)
    {
        foreach (var pageSize in (int[])[0, 1, 2])
        {
            Assert.Equal(expected.Split(' '), await SearchAllAsync(filter, orderBy, pageSize));
        }
    }

    [Fact]
    public async Task Results_carry_the_whole_run()
    {
        var response = await _client.SearchRunsAsync(new SearchRunsRequest { Experiments = { "search-a" }, Filter = "attributes.run_name = 'r1'" }, cancellationToken: Cancel);
        var run = Assert.Single(response.Runs);

        Assert.Equal("FastTree", run.Params["trainer"]);
        Assert.Equal("a", run.Tags["team"]);
        Assert.Equal(0.1, run.LatestMetrics.Single(m => m.Key == "rmse").Value);
        Assert.Equal("iris", Assert.Single(run.DatasetInputs).Name);
    }

    [Fact]
    public async Task Searches_cover_the_experiments_asked_for_and_deleted_runs_on_request()
    {
        Assert.Equal(["r1", "r2"], (await SearchAsync(new SearchRunsRequest { Experiments = { "search-a" }, Filter = "metrics.rmse < 0.3", OrderBy = "metrics.rmse" })).Order());
        Assert.Equal(["r7", "r1", "r2"], await SearchAsync(new SearchRunsRequest { Experiments = { "search-a" }, Filter = "metrics.rmse < 0.3", OrderBy = "metrics.rmse", IncludeDeleted = true }));
        await Expect.Status(StatusCode.NotFound, () => SearchAsync(new SearchRunsRequest { Experiments = { "search-a", "no-such" } }), "'no-such'");
    }

    [Fact]
    public async Task Page_tokens_stay_valid_while_runs_arrive()
    {
        var experiment = await _client.NewExperimentAsync();
        foreach (var rmse in new[] { 0.5, 0.1, 0.4, 0.2, 0.3 })
        {
            await AddRunAsync(experiment.Name, rmse);
        }

        var request = new SearchRunsRequest { Experiments = { experiment.Name }, OrderBy = "metrics.rmse", PageSize = 2 };
        var first = await _client.SearchRunsAsync(request, cancellationToken: Cancel);
        await AddRunAsync(experiment.Name, 0.15); // sorts before the token: belongs to a page already read
        await AddRunAsync(experiment.Name, 0.35); // sorts after it: shows up in its place

        var seen = first.Runs.Select(Rmse).ToList();
        request.PageToken = first.NextPageToken;
        while (request.PageToken.Length > 0)
        {
            var page = await _client.SearchRunsAsync(request, cancellationToken: Cancel);
            seen.AddRange(page.Runs.Select(Rmse));
            request.PageToken = page.NextPageToken;
        }

        Assert.Equal([0.1, 0.2, 0.3, 0.35, 0.4, 0.5], seen);
    }

    [Fact]
    public async Task Mistakes_are_invalid_arguments_that_say_where()
    {
        var error = await Expect.Status(StatusCode.InvalidArgument, () => SearchAsync(new SearchRunsRequest { Filter = "metrics.rmse < 0.3 and" }), "filter", "position 23", "expected a field");
        Assert.Contains("⟶", error.Status.Detail, StringComparison.Ordinal);
        await Expect.Status(StatusCode.InvalidArgument, () => SearchAsync(new SearchRunsRequest { Filter = "metrics.rmse like 'x'" }), "position 1");
        await Expect.Status(StatusCode.InvalidArgument, () => SearchAsync(new SearchRunsRequest { OrderBy = "metrics.rmse sideways" }), "order_by", "position 14");
        await Expect.Status(StatusCode.InvalidArgument, () => SearchAsync(new SearchRunsRequest { OrderBy = "attributes.colour" }), "order_by", "unknown attribute");

        var page = await _client.SearchRunsAsync(new SearchRunsRequest { Experiments = { "search-a" }, PageSize = 1 }, cancellationToken: Cancel);
        await Expect.Status(StatusCode.InvalidArgument, () => SearchAsync(new SearchRunsRequest { Experiments = { "search-a" }, PageSize = 1, Filter = "metrics.rmse > 0", PageToken = page.NextPageToken }), "another search");
        await Expect.Status(StatusCode.InvalidArgument, () => SearchAsync(new SearchRunsRequest { PageToken = "garbage!" }), "page_token");
    }

    [Fact]
    public async Task Search_is_also_a_rest_call()
    {
        using var http = factory.CreateClient();
        using var response = await http.PostAsJsonAsync("/api/v1/runs:search", new { experiments = (string[])["search-a"], filter = "params.trainer = 'LightGbm'" }, Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel));
        Assert.Equal("r2", body.RootElement.GetProperty("runs")[0].GetProperty("runName").GetString());
    }

    private async Task AddRunAsync(string experiment, double rmse)
    {
        var run = await _client.NewRunAsync(experiment);
        await _client.LogAsync(run.RunId, ("rmse", rmse, 1));
    }

    private static double Rmse(Run run) => run.LatestMetrics.Single(m => m.Key == "rmse").Value;

    /// <summary>Every page of a search over search-a and search-b, as run names in result order.</summary>
    private async Task<List<string>> SearchAllAsync(string filter, string orderBy, int pageSize)
    {
        var names = new List<string>();
        var request = new SearchRunsRequest { Experiments = { "search-a", "search-b" }, Filter = filter, OrderBy = orderBy, PageSize = pageSize };
        do
        {
            var page = await _client.SearchRunsAsync(request, cancellationToken: Cancel);
            names.AddRange(page.Runs.Select(r => factory.Names[r.RunId]));
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        return names;
    }

    private async Task<List<string>> SearchAsync(SearchRunsRequest request) =>
        [.. (await _client.SearchRunsAsync(request, cancellationToken: Cancel)).Runs.Select(r => r.RunName)];
}
