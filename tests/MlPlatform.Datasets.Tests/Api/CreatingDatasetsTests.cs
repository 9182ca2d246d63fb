using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Core;
using MlPlatform.Api.Datasets.V1;

namespace MlPlatform.Datasets.Tests.Api;

public sealed class CreatingDatasetsTests(DatasetsFactory service) : IClassFixture<DatasetsFactory>
{
    private readonly DatasetsClient _client = service.Client;

    [Fact]
    public async Task A_created_dataset_can_be_read_back()
    {
        var created = await CreateAsync("iris-" + Suffix(), "Fisher's iris", new() { ["team"] = "vision" });

        var read = await _client.GetDatasetAsync(new GetDatasetRequest { Name = created.Name }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(created, read);
        Assert.Equal(("Fisher's iris", "vision", 0), (read.Description, read.Tags["team"], read.LatestVersion));
    }

    [Fact]
    public async Task Creating_a_dataset_twice_fails_with_already_exists()
    {
        var name = "twice-" + Suffix();
        await CreateAsync(name);

        var error = await Assert.ThrowsAsync<RpcException>(() => CreateAsync(name));

        Assert.Equal((StatusCode.AlreadyExists, $"Dataset '{name}' already exists."), (error.StatusCode, error.Status.Detail));
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("..")]
    [InlineData("Capital")]
    [InlineData("with space")]
    [InlineData("")]
    public async Task Names_that_are_not_safe_in_paths_and_urls_are_rejected(string name)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => CreateAsync(name));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("Dataset name", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tag_key_with_an_equals_sign_is_rejected()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => CreateAsync("tags-" + Suffix(), tags: new() { ["a=b"] = "c" }));

        Assert.Equal((StatusCode.InvalidArgument, "Tag key 'a=b' is invalid: a key must not be empty or contain '='."), (error.StatusCode, error.Status.Detail));
    }

    [Fact]
    public async Task Getting_an_unknown_dataset_is_not_found()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await _client.GetDatasetAsync(new GetDatasetRequest { Name = "unknown" }, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task Datasets_are_listed_by_name_a_page_at_a_time_and_filtered_by_prefix_and_tag()
    {
        var prefix = "list-" + Suffix() + "-";
        await CreateAsync(prefix + "c", tags: new() { ["stage"] = "raw" });
        await CreateAsync(prefix + "a", tags: new() { ["stage"] = "clean" });
        await CreateAsync(prefix + "b");

        var first = await ListAsync(new ListDatasetsRequest { NamePrefix = prefix, PageSize = 2 });
        var second = await ListAsync(new ListDatasetsRequest { NamePrefix = prefix, PageSize = 2, PageToken = first.NextPageToken });
        var tagged = await ListAsync(new ListDatasetsRequest { NamePrefix = prefix, Tag = "stage" });
        var clean = await ListAsync(new ListDatasetsRequest { NamePrefix = prefix, Tag = "stage=clean" });

        Assert.Equal([prefix + "a", prefix + "b", prefix + "c"], first.Datasets.Concat(second.Datasets).Select(d => d.Name));
        Assert.Equal("", second.NextPageToken);
        Assert.Equal([prefix + "a", prefix + "c"], tagged.Datasets.Select(d => d.Name));
        Assert.Equal([prefix + "a"], clean.Datasets.Select(d => d.Name));
    }

    [Fact]
    public async Task A_name_prefix_is_matched_literally()
    {
        var suffix = Suffix();
        await CreateAsync($"under_{suffix}");
        await CreateAsync($"underx{suffix}");

        var listed = await ListAsync(new ListDatasetsRequest { NamePrefix = "under_" });

        Assert.Equal([$"under_{suffix}"], listed.Datasets.Select(d => d.Name).Where(n => n.EndsWith(suffix, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_rest_routes_reach_the_same_service()
    {
        using var http = service.CreateClient();
        var name = "rest-" + Suffix();

        using var created = await http.PostAsJsonAsync("/api/v1/datasets", new { name, description = "via REST" }, TestContext.Current.CancellationToken);
        using var read = await http.GetAsync($"/api/v1/datasets/{name}", TestContext.Current.CancellationToken);
        using var versions = await http.GetAsync($"/api/v1/datasets/{name}/versions", TestContext.Current.CancellationToken);
        using var missing = await http.GetAsync($"/api/v1/datasets/{name}/versions/latest", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        using var body = JsonDocument.Parse(await read.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("via REST", body.RootElement.GetProperty("description").GetString());
        Assert.Equal(HttpStatusCode.OK, versions.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private Task<Dataset> CreateAsync(string name, string description = "", Dictionary<string, string>? tags = null) =>
        _client.CreateDatasetAsync(
            new CreateDatasetRequest { Name = name, Description = description, Tags = { tags ?? [] } },
            cancellationToken: TestContext.Current.CancellationToken).ResponseAsync;

    private Task<ListDatasetsResponse> ListAsync(ListDatasetsRequest request) =>
        _client.ListDatasetsAsync(request, cancellationToken: TestContext.Current.CancellationToken).ResponseAsync;

    private static string Suffix() => Guid.NewGuid().ToString("N")[..12];
}
