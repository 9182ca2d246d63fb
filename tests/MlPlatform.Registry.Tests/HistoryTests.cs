using Grpc.Core;

namespace MlPlatform.Registry.Tests;

public sealed class HistoryTests(RegistryPlatform platform)
{
    private readonly RegistryClient _registry = platform.RegistryClient;

    [Fact]
    public async Task History_lists_every_change_in_order_with_time_and_actor()
    {
        var model = await platform.NewModelWithVersionsAsync(2);
        await _registry.SetAliasAsync(model, "champion", 1);
        await _registry.SetAliasAsync(model, "champion", 2);
        await _registry.SetModelVersionTagAsync(new() { Model = model, Version = 1, Key = "k", Value = "v" }, cancellationToken: TestData.Cancel);
        await _registry.DeleteAliasAsync(new() { Model = model, Alias = "champion" }, cancellationToken: TestData.Cancel);
        await _registry.DeprecateModelVersionAsync(new() { Model = model, Version = 1, Reason = "old" }, cancellationToken: TestData.Cancel);

        var history = await _registry.GetModelHistoryAsync(new() { Name = model }, cancellationToken: TestData.Cancel);

        Assert.Equal(
            ["registered_model_created", "model_version_created", "model_version_created", "alias_set", "alias_set", "model_version_tag_set", "alias_deleted", "model_version_deprecated"],
            history.Events.Select(e => e.Type));
        Assert.Equal(Enumerable.Range(1, 8).Select(i => (long)i), history.Events.Select(e => e.Version));
        var caller = platform.Registry.TestIdentity;
        Assert.All(history.Events, e => Assert.Equal((caller.KeyId, caller.Name), (e.Actor.KeyId, e.Actor.Name)));
        Assert.All(history.Events, e => Assert.NotNull(e.Time));
        Assert.Contains("\"previousVersion\":1", history.Events[4].DataJson, StringComparison.Ordinal); // the move: from 1 to 2
        Assert.Contains("\"version\":2", history.Events[4].DataJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_pages()
    {
        var model = await platform.NewModelWithVersionsAsync(3);

        var first = await _registry.GetModelHistoryAsync(new() { Name = model, PageSize = 3 }, cancellationToken: TestData.Cancel);
        var second = await _registry.GetModelHistoryAsync(new() { Name = model, PageSize = 3, PageToken = first.NextPageToken }, cancellationToken: TestData.Cancel);

        Assert.Equal([1L, 2, 3, 4], first.Events.Concat(second.Events).Select(e => e.Version));
        Assert.Empty(second.NextPageToken);
    }

    [Fact]
    public async Task History_of_an_unknown_model_is_not_found()
    {
        await Expect.Status(StatusCode.NotFound, () => _registry.GetModelHistoryAsync(new() { Name = "nobody-here" }).ResponseAsync, "nobody-here");
    }
}
