using Grpc.Core;

namespace MlPlatform.Registry.Tests;

public sealed class RegisteredModelTests(RegistryPlatform platform)
{
    private readonly RegistryClient _client = platform.RegistryClient;

    [Fact]
    public async Task A_created_model_can_be_read_back()
    {
        await _client.CreateRegisteredModelAsync(new() { Name = "churn", Description = "predicts churn", Tags = { ["team"] = "growth" } }, cancellationToken: TestData.Cancel);

        var model = await _client.GetModelAsync("churn");

        Assert.Equal("churn", model.Name);
        Assert.Equal("predicts churn", model.Description);
        Assert.Equal("growth", model.Tags["team"]);
        Assert.Equal(0, model.LatestVersion);
        Assert.Empty(model.Aliases);
    }

    [Fact]
    public async Task Creating_a_model_twice_is_refused_as_already_existing()
    {
        await _client.CreateRegisteredModelAsync(new() { Name = "duplicate" }, cancellationToken: TestData.Cancel);

        await Expect.Status(StatusCode.AlreadyExists, () => _client.CreateRegisteredModelAsync(new() { Name = "duplicate" }).ResponseAsync, "duplicate");
    }

    [Theory]
    [InlineData("")]
    [InlineData("Upper")]
    [InlineData("../escape")]
    [InlineData("has space")]
    public async Task An_invalid_name_is_refused_with_the_rule_it_breaks(string name)
    {
        await Expect.Status(StatusCode.InvalidArgument, () => _client.CreateRegisteredModelAsync(new() { Name = name }).ResponseAsync, "name");
    }

    [Fact]
    public async Task An_invalid_tag_key_is_refused()
    {
        await Expect.Status(
            StatusCode.InvalidArgument,
            () => _client.CreateRegisteredModelAsync(new() { Name = TestData.UniqueName("tags"), Tags = { ["a=b"] = "x" } }).ResponseAsync,
            "a=b");
    }

    [Fact]
    public async Task An_unknown_model_is_not_found()
    {
        await Expect.Status(StatusCode.NotFound, () => _client.GetRegisteredModelAsync(new() { Name = "nobody" }).ResponseAsync, "nobody");
    }

    [Fact]
    public async Task Listing_pages_through_models_by_name_and_filters_by_prefix()
    {
        foreach (var name in new[] { "paging-c", "paging-a", "paging-b", "other-model" })
        {
            await _client.CreateRegisteredModelAsync(new() { Name = name }, cancellationToken: TestData.Cancel);
        }

        var first = await _client.ListRegisteredModelsAsync(new() { NamePrefix = "paging-", PageSize = 2 }, cancellationToken: TestData.Cancel);
        var second = await _client.ListRegisteredModelsAsync(new() { NamePrefix = "paging-", PageSize = 2, PageToken = first.NextPageToken }, cancellationToken: TestData.Cancel);

        Assert.Equal(["paging-a", "paging-b"], first.Models.Select(m => m.Name));
        Assert.Equal(["paging-c"], second.Models.Select(m => m.Name));
        Assert.Empty(second.NextPageToken);
    }

    [Fact]
    public async Task Listing_filters_by_tag_key_or_key_and_value()
    {
        var prefix = TestData.UniqueName("tagged") + "-";
        await _client.CreateRegisteredModelAsync(new() { Name = prefix + "a", Tags = { ["stage"] = "prod" } }, cancellationToken: TestData.Cancel);
        await _client.CreateRegisteredModelAsync(new() { Name = prefix + "b", Tags = { ["stage"] = "dev" } }, cancellationToken: TestData.Cancel);
        await _client.CreateRegisteredModelAsync(new() { Name = prefix + "c" }, cancellationToken: TestData.Cancel);

        var withKey = await _client.ListRegisteredModelsAsync(new() { NamePrefix = prefix, Tag = "stage" }, cancellationToken: TestData.Cancel);
        var withValue = await _client.ListRegisteredModelsAsync(new() { NamePrefix = prefix, Tag = "stage=prod" }, cancellationToken: TestData.Cancel);

        Assert.Equal([prefix + "a", prefix + "b"], withKey.Models.Select(m => m.Name));
        Assert.Equal([prefix + "a"], withValue.Models.Select(m => m.Name));
    }

    [Fact]
    public async Task A_page_token_the_service_did_not_issue_is_refused()
    {
        await Expect.Status(StatusCode.InvalidArgument, () => _client.ListRegisteredModelsAsync(new() { PageToken = "not base64 !" }).ResponseAsync, "page_token");
    }
}
