using Grpc.Core;
using MlPlatform.Api.Registry.V1;

namespace MlPlatform.Registry.Tests;

public sealed class ConcurrencyTests(RegistryPlatform platform)
{
    private const int Registrations = 20;

    private readonly RegistryClient _registry = platform.RegistryClient;

    [Fact]
    public async Task Concurrent_registrations_get_distinct_consecutive_versions()
    {
        var model = await _registry.NewModelAsync();
        var run = await platform.TrackingClient.NewRunAsync();

        var versions = await Task.WhenAll(Enumerable.Range(0, Registrations).Select(_ => Task.Run(() => _registry.RegisterAsync(model, run.RunId))));

        Assert.Equal(Enumerable.Range(1, Registrations), versions.Select(v => v.Version).Order());
        Assert.Equal(Registrations, (await _registry.GetModelAsync(model)).LatestVersion);
        var listed = await _registry.ListModelVersionsAsync(new ListModelVersionsRequest { Model = model }, cancellationToken: TestData.Cancel);
        Assert.Equal(Enumerable.Range(1, Registrations).Reverse(), listed.Versions.Select(v => v.Version));
    }

    [Fact]
    public async Task Of_concurrent_compare_and_set_moves_exactly_one_wins()
    {
        var model = await platform.NewModelWithVersionsAsync(9);
        await _registry.SetAliasAsync(model, "champion", 1);

        // Eight callers read "champion → 1" and each tries to move it to its own version.
        var attempts = await Task.WhenAll(Enumerable.Range(2, 8).Select(version => Task.Run(async () =>
        {
            try
            {
                await _registry.SetAliasAsync(model, "champion", version, expected: 1);
                return (Version: version, Won: true);
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Aborted)
            {
                return (Version: version, Won: false);
            }
        })));

        var winner = Assert.Single(attempts, a => a.Won);
        Assert.Equal(winner.Version, (await _registry.GetModelAsync(model)).Aliases["champion"]);
        var history = await _registry.GetModelHistoryAsync(new GetModelHistoryRequest { Name = model }, cancellationToken: TestData.Cancel);
        Assert.Equal(2, history.Events.Count(e => e.Type == "alias_set"));
    }
}
