using Grpc.Core;
using MlPlatform.TestSupport.Services;
using Xunit;

namespace MlPlatform.Registry.Tests;

public sealed class RegistryFactory : ServiceFactory<Program>;

public sealed class RegisteredModelTests(RegistryFactory registry) : IClassFixture<RegistryFactory>
{
    private readonly Api.Registry.V1.Registry.RegistryClient _client = new(registry.Channel);

    [Fact]
    public async Task A_created_model_can_be_read_back()
    {
        await _client.CreateRegisteredModelAsync(new() { Name = "churn", Description = "predicts churn", Tags = { ["team"] = "growth" } });

        var model = await _client.GetRegisteredModelAsync(new() { Name = "churn" });

        Assert.Equal("churn", model.Name);
        Assert.Equal("predicts churn", model.Description);
        Assert.Equal("growth", model.Tags["team"]);
        Assert.Equal(0, model.LatestVersion);
    }

    [Fact]
    public async Task Creating_a_model_twice_is_refused_as_already_existing()
    {
        await _client.CreateRegisteredModelAsync(new() { Name = "duplicate" });

        var error = await Assert.ThrowsAsync<RpcException>(() => _client.CreateRegisteredModelAsync(new() { Name = "duplicate" }).ResponseAsync);

        Assert.Equal(StatusCode.AlreadyExists, error.StatusCode);
        Assert.Contains("duplicate", error.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Upper")]
    [InlineData("../escape")]
    [InlineData("has space")]
    public async Task An_invalid_name_is_refused_with_the_rule_it_breaks(string name)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _client.CreateRegisteredModelAsync(new() { Name = name }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("name", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_model_is_not_found()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _client.GetRegisteredModelAsync(new() { Name = "nobody" }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task Listing_pages_through_models_by_name_and_filters_by_prefix()
    {
        foreach (var name in new[] { "paging-c", "paging-a", "paging-b", "other-model" })
        {
            await _client.CreateRegisteredModelAsync(new() { Name = name });
        }

        var first = await _client.ListRegisteredModelsAsync(new() { NamePrefix = "paging-", PageSize = 2 });
        var second = await _client.ListRegisteredModelsAsync(new() { NamePrefix = "paging-", PageSize = 2, PageToken = first.NextPageToken });

        Assert.Equal(["paging-a", "paging-b"], first.Models.Select(m => m.Name));
        Assert.Equal(["paging-c"], second.Models.Select(m => m.Name));
        Assert.Empty(second.NextPageToken);
    }

    [Fact]
    public async Task A_page_token_the_service_did_not_issue_is_refused()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _client.ListRegisteredModelsAsync(new() { PageToken = "not base64 !" }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }
}
