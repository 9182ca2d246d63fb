using Grpc.Core;
using MlPlatform.Api.Registry.V1;

namespace MlPlatform.Registry.Tests;

public sealed class TagsAndDeprecationTests(RegistryPlatform platform)
{
    private readonly RegistryClient _registry = platform.RegistryClient;

    [Fact]
    public async Task A_version_tag_is_set_overwritten_and_deleted()
    {
        var model = await platform.NewModelWithVersionsAsync(1);

        await _registry.SetModelVersionTagAsync(new() { Model = model, Version = 1, Key = "validated", Value = "no" }, cancellationToken: TestData.Cancel);
        var set = await _registry.SetModelVersionTagAsync(new() { Model = model, Version = 1, Key = "validated", Value = "yes" }, cancellationToken: TestData.Cancel);
        Assert.Equal("yes", set.Tags["validated"]);

        var deleted = await _registry.DeleteModelVersionTagAsync(new() { Model = model, Version = 1, Key = "validated" }, cancellationToken: TestData.Cancel);
        Assert.False(deleted.Tags.ContainsKey("validated"));
        Assert.False((await _registry.GetVersionAsync(model, 1)).Tags.ContainsKey("validated"));
    }

    [Fact]
    public async Task Bad_tags_and_unknown_versions_are_refused()
    {
        var model = await platform.NewModelWithVersionsAsync(1);

        await Expect.Status(StatusCode.InvalidArgument, () => _registry.SetModelVersionTagAsync(new() { Model = model, Version = 1, Key = "", Value = "x" }).ResponseAsync, "Tag key");
        await Expect.Status(StatusCode.InvalidArgument, () => _registry.SetModelVersionTagAsync(new() { Model = model, Version = 1, Key = "a=b", Value = "x" }).ResponseAsync, "a=b");
        await Expect.Status(StatusCode.NotFound, () => _registry.SetModelVersionTagAsync(new() { Model = model, Version = 2, Key = "k", Value = "x" }).ResponseAsync, "no version 2");
    }

    [Fact]
    public async Task Deprecating_records_the_reason_once()
    {
        var model = await platform.NewModelWithVersionsAsync(1);

        var deprecated = await _registry.DeprecateModelVersionAsync(new() { Model = model, Version = 1, Reason = "trained on stale data" }, cancellationToken: TestData.Cancel);
        var again = await _registry.DeprecateModelVersionAsync(new() { Model = model, Version = 1, Reason = "another reason" }, cancellationToken: TestData.Cancel);

        Assert.Equal(ModelVersionStatus.Deprecated, deprecated.Status);
        Assert.Equal("trained on stale data", deprecated.DeprecationReason);
        Assert.NotNull(deprecated.DeprecatedAt);
        Assert.Equal(deprecated, again);
        var history = await _registry.GetModelHistoryAsync(new() { Name = model }, cancellationToken: TestData.Cancel);
        Assert.Single(history.Events, e => e.Type == "model_version_deprecated");
    }

    [Fact]
    public async Task Deprecating_needs_a_reason_and_refuses_a_version_an_alias_points_at()
    {
        var model = await platform.NewModelWithVersionsAsync(1);
        await _registry.SetAliasAsync(model, "champion", 1);

        await Expect.Status(StatusCode.InvalidArgument, () => _registry.DeprecateModelVersionAsync(new() { Model = model, Version = 1, Reason = " " }).ResponseAsync, "reason");
        await Expect.Status(StatusCode.FailedPrecondition, () => _registry.DeprecateModelVersionAsync(new() { Model = model, Version = 1, Reason = "old" }).ResponseAsync, "champion");
        Assert.Equal(ModelVersionStatus.Active, (await _registry.GetVersionAsync(model, 1)).Status);
    }

    [Fact]
    public async Task Listing_versions_filters_by_tag_alias_and_status_and_pages_newest_first()
    {
        var model = await platform.NewModelWithVersionsAsync(5);
        await _registry.SetModelVersionTagAsync(new() { Model = model, Version = 2, Key = "team", Value = "a" }, cancellationToken: TestData.Cancel);
        await _registry.SetModelVersionTagAsync(new() { Model = model, Version = 4, Key = "team", Value = "b" }, cancellationToken: TestData.Cancel);
        await _registry.SetAliasAsync(model, "challenger", 3);
        await _registry.DeprecateModelVersionAsync(new() { Model = model, Version = 5, Reason = "bad" }, cancellationToken: TestData.Cancel);

        async Task<IEnumerable<int>> ListAsync(ListModelVersionsRequest request)
        {
            request.Model = model;
            return (await _registry.ListModelVersionsAsync(request, cancellationToken: TestData.Cancel)).Versions.Select(v => v.Version).ToList();
        }

        Assert.Equal([4, 2], await ListAsync(new() { Tag = "team" }));
        Assert.Equal([2], await ListAsync(new() { Tag = "team=a" }));
        Assert.Equal([3], await ListAsync(new() { Alias = "challenger" }));
        Assert.Equal([4], await ListAsync(new() { Alias = "latest" }));
        Assert.Empty(await ListAsync(new() { Alias = "nobody" }));
        Assert.Equal([5], await ListAsync(new() { Status = ModelVersionStatus.Deprecated }));
        Assert.Equal([4, 3, 2, 1], await ListAsync(new() { Status = ModelVersionStatus.Active }));

        var first = await _registry.ListModelVersionsAsync(new() { Model = model, PageSize = 2 }, cancellationToken: TestData.Cancel);
        var second = await _registry.ListModelVersionsAsync(new() { Model = model, PageSize = 2, PageToken = first.NextPageToken }, cancellationToken: TestData.Cancel);
        var third = await _registry.ListModelVersionsAsync(new() { Model = model, PageSize = 2, PageToken = second.NextPageToken }, cancellationToken: TestData.Cancel);
        Assert.Equal([5, 4, 3, 2, 1], first.Versions.Concat(second.Versions).Concat(third.Versions).Select(v => v.Version));
        Assert.Empty(third.NextPageToken);
        Assert.Equal(["challenger"], second.Versions.Single(v => v.Version == 3).Aliases);
    }
}
