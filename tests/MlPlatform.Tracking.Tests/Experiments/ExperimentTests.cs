using Grpc.Core;
using MlPlatform.Api.Tracking.V1;
using TrackingClient = MlPlatform.Api.Tracking.V1.Tracking.TrackingClient;

namespace MlPlatform.Tracking.Tests.Experiments;

public sealed class ExperimentTests(TrackingFactory factory) : IClassFixture<TrackingFactory>
{
    private readonly TrackingClient _client = factory.Client;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_experiment_is_found_by_name_and_by_id()
    {
        var created = await _client.CreateExperimentAsync(new CreateExperimentRequest { Name = "churn", Tags = { ["owner"] = "ana" } }, cancellationToken: Cancel);

        Assert.Equal(created, await _client.GetExperimentAsync(new GetExperimentRequest { Name = "churn" }, cancellationToken: Cancel));
        Assert.Equal(created, await _client.GetExperimentAsync(new GetExperimentRequest { Name = created.Id }, cancellationToken: Cancel));
        Assert.Equal("ana", created.Tags["owner"]);
        Assert.False(created.Archived);
    }

    [Fact]
    public async Task Names_are_unique_valid_and_looked_up()
    {
        await _client.CreateExperimentAsync(new CreateExperimentRequest { Name = "unique-name" }, cancellationToken: Cancel);

        await Expect.Status(StatusCode.AlreadyExists, () => _client.CreateExperimentAsync(new CreateExperimentRequest { Name = "unique-name" }, cancellationToken: Cancel).ResponseAsync, "unique-name");
        await Expect.Status(StatusCode.InvalidArgument, () => _client.CreateExperimentAsync(new CreateExperimentRequest { Name = "Not Valid" }, cancellationToken: Cancel).ResponseAsync);
        await Expect.Status(StatusCode.NotFound, () => _client.GetExperimentAsync(new GetExperimentRequest { Name = "missing" }, cancellationToken: Cancel).ResponseAsync, "missing");
    }

    [Fact]
    public async Task Concurrent_creates_of_one_name_make_one_experiment()
    {
        var attempts = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            try
            {
                await _client.CreateExperimentAsync(new CreateExperimentRequest { Name = "raced" }, cancellationToken: Cancel);
                return StatusCode.OK;
            }
            catch (RpcException ex)
            {
                return ex.StatusCode;
            }
        }));

        Assert.Equal(1, attempts.Count(s => s == StatusCode.OK));
        Assert.All(attempts.Where(s => s != StatusCode.OK), s => Assert.Equal(StatusCode.AlreadyExists, s));
    }

    [Fact]
    public async Task Archived_experiments_are_hidden_from_lists_refuse_runs_and_can_be_restored()
    {
        var experiment = await _client.CreateExperimentAsync(new CreateExperimentRequest { Name = "to-archive" }, cancellationToken: Cancel);
        var archived = await _client.ArchiveExperimentAsync(new ArchiveExperimentRequest { Name = "to-archive" }, cancellationToken: Cancel);
        Assert.True(archived.Archived);
        Assert.True((await _client.ArchiveExperimentAsync(new ArchiveExperimentRequest { Name = experiment.Id }, cancellationToken: Cancel)).Archived);

        var visible = await ListAllAsync(includeArchived: false);
        Assert.DoesNotContain("to-archive", visible);
        Assert.Contains("to-archive", await ListAllAsync(includeArchived: true));
        await Expect.Status(StatusCode.FailedPrecondition, () => _client.NewRunAsync("to-archive"), "archived");

        Assert.False((await _client.RestoreExperimentAsync(new RestoreExperimentRequest { Name = "to-archive" }, cancellationToken: Cancel)).Archived);
        Assert.Contains("to-archive", await ListAllAsync(includeArchived: false));
        Assert.Equal(RunStatus.Running, (await _client.NewRunAsync("to-archive")).Status);
    }

    [Fact]
    public async Task Lists_page_through_every_experiment_in_name_order()
    {
        foreach (var name in new[] { "page-c", "page-a", "page-b" })
        {
            await _client.CreateExperimentAsync(new CreateExperimentRequest { Name = name }, cancellationToken: Cancel);
        }

        var names = await ListAllAsync(includeArchived: false, pageSize: 2);
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Equal(["page-a", "page-b", "page-c"], names.Where(n => n.StartsWith("page-", StringComparison.Ordinal)));
    }

    private async Task<List<string>> ListAllAsync(bool includeArchived, int pageSize = 0)
    {
        var names = new List<string>();
        var request = new ListExperimentsRequest { IncludeArchived = includeArchived, PageSize = pageSize };
        do
        {
            var page = await _client.ListExperimentsAsync(request, cancellationToken: Cancel);
            names.AddRange(page.Experiments.Select(e => e.Name));
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        return names;
    }
}
