using Grpc.Core;
using MlPlatform.Api.Registry.V1;

namespace MlPlatform.Registry.Tests;

public sealed class AliasTests(RegistryPlatform platform)
{
    private readonly RegistryClient _registry = platform.RegistryClient;

    [Fact]
    public async Task An_alias_is_set_moved_and_deleted()
    {
        var model = await platform.NewModelWithVersionsAsync(3);

        var set = await _registry.SetAliasAsync(model, "champion", 1);
        Assert.Equal(1, set.Aliases["champion"]);
        Assert.Equal(["champion"], (await _registry.GetVersionAsync(model, 1)).Aliases);

        var moved = await _registry.SetAliasAsync(model, "champion", 3);
        Assert.Equal(3, moved.Aliases["champion"]);
        Assert.Empty((await _registry.GetVersionAsync(model, 1)).Aliases);
        Assert.Equal(3, (await _registry.GetModelVersionByAliasAsync(new() { Model = model, Alias = "champion" }, cancellationToken: TestData.Cancel)).Version);

        var deleted = await _registry.DeleteAliasAsync(new DeleteAliasRequest { Model = model, Alias = "champion" }, cancellationToken: TestData.Cancel);
        Assert.Empty(deleted.Aliases);
        await Expect.Status(StatusCode.NotFound, () => _registry.GetModelVersionByAliasAsync(new() { Model = model, Alias = "champion" }).ResponseAsync, "champion");
    }

    [Fact]
    public async Task Several_aliases_can_point_at_one_version()
    {
        var model = await platform.NewModelWithVersionsAsync(1);
        await _registry.SetAliasAsync(model, "champion", 1);
        await _registry.SetAliasAsync(model, "staging", 1);

        Assert.Equal(["champion", "staging"], (await _registry.GetVersionAsync(model, 1)).Aliases);
    }

    [Fact]
    public async Task Compare_and_set_moves_only_from_the_expected_version()
    {
        var model = await platform.NewModelWithVersionsAsync(3);
        await _registry.SetAliasAsync(model, "champion", 1, expected: 0); // 0: must not exist yet

        await Expect.Status(StatusCode.Aborted, () => _registry.SetAliasAsync(model, "champion", 3, expected: 2), "points at version 1", "expected it to point at version 2");
        await Expect.Status(StatusCode.Aborted, () => _registry.SetAliasAsync(model, "champion", 3, expected: 0), "not to be set");
        await Expect.Status(StatusCode.Aborted, () => _registry.DeleteAliasAsync(new() { Model = model, Alias = "champion", ExpectedCurrentVersion = 3 }).ResponseAsync, "points at version 1");
        Assert.Equal(1, (await _registry.GetModelAsync(model)).Aliases["champion"]);

        await _registry.SetAliasAsync(model, "champion", 2, expected: 1);
        Assert.Equal(2, (await _registry.GetModelAsync(model)).Aliases["champion"]);
    }

    [Theory]
    [InlineData("latest", "reserved")]
    [InlineData("v1", "reserved")]
    [InlineData("v42", "reserved")]
    [InlineData("Champion", "invalid")]
    [InlineData("1st", "invalid")]
    [InlineData("has space", "invalid")]
    [InlineData("", "required")]
    public async Task Reserved_and_invalid_alias_names_are_refused(string alias, string fragment)
    {
        var model = await platform.NewModelWithVersionsAsync(1);

        await Expect.Status(StatusCode.InvalidArgument, () => _registry.SetAliasAsync(model, alias, 1), fragment);
        Assert.Empty((await _registry.GetModelAsync(model)).Aliases);
    }

    [Fact]
    public async Task An_alias_cannot_point_at_a_deprecated_or_unknown_version()
    {
        var model = await platform.NewModelWithVersionsAsync(2);
        await _registry.DeprecateModelVersionAsync(new() { Model = model, Version = 1, Reason = "leaks labels" }, cancellationToken: TestData.Cancel);

        await Expect.Status(StatusCode.FailedPrecondition, () => _registry.SetAliasAsync(model, "champion", 1), "deprecated", "leaks labels");
        await Expect.Status(StatusCode.NotFound, () => _registry.SetAliasAsync(model, "champion", 5), "no version 5");
        await Expect.Status(StatusCode.NotFound, () => _registry.SetAliasAsync("no-such-model", "champion", 1), "no-such-model");
        Assert.Empty((await _registry.GetModelAsync(model)).Aliases);
    }

    [Fact]
    public async Task Deleting_an_alias_that_is_not_set_is_not_found()
    {
        var model = await platform.NewModelWithVersionsAsync(1);
        await Expect.Status(StatusCode.NotFound, () => _registry.DeleteAliasAsync(new() { Model = model, Alias = "champion" }).ResponseAsync, "champion");
    }

    [Fact]
    public async Task Latest_and_v_N_resolve_to_the_newest_active_version_and_version_N()
    {
        var model = await platform.NewModelWithVersionsAsync(3);
        await _registry.DeprecateModelVersionAsync(new() { Model = model, Version = 3, Reason = "bad" }, cancellationToken: TestData.Cancel);

        Assert.Equal(2, (await _registry.GetModelVersionByAliasAsync(new() { Model = model, Alias = "latest" }, cancellationToken: TestData.Cancel)).Version);
        Assert.Equal(3, (await _registry.GetModelVersionByAliasAsync(new() { Model = model, Alias = "v3" }, cancellationToken: TestData.Cancel)).Version);
        await Expect.Status(StatusCode.NotFound, () => _registry.GetModelVersionByAliasAsync(new() { Model = model, Alias = "v9" }).ResponseAsync, "no version 9");
    }

    [Fact]
    public async Task Latest_of_a_model_without_versions_is_not_found()
    {
        var model = await _registry.NewModelAsync();
        await Expect.Status(StatusCode.NotFound, () => _registry.GetModelVersionByAliasAsync(new() { Model = model, Alias = "latest" }).ResponseAsync, "no versions yet");
    }
}
