using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace MlPlatform.Registry.Tests;

/// <summary>The same calls as REST/JSON under /api/v1/models (gRPC JSON transcoding).</summary>
public sealed class RestTests(RegistryPlatform platform)
{
    [Fact]
    public async Task Models_versions_aliases_and_lineage_are_reachable_as_REST()
    {
        using var http = platform.Registry.CreateClient();
        var model = TestData.UniqueName("rest");
        var run = await platform.TrackingClient.NewRunAsync(datasets: [("customers", 1)]);

        (await http.PostAsJsonAsync("/api/v1/models", new { name = model }, TestData.Cancel)).EnsureSuccessStatusCode();
        var registered = await http.PostAsJsonAsync($"/api/v1/models/{model}/versions", new { runId = run.RunId, artifactPath = TestData.ModelPath }, TestData.Cancel);
        Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
        (await http.PutAsJsonAsync($"/api/v1/models/{model}/aliases/champion", new { version = 1 }, TestData.Cancel)).EnsureSuccessStatusCode();

        using var byAlias = JsonDocument.Parse(await http.GetStringAsync($"/api/v1/models/{model}/aliases/champion", TestData.Cancel));
        Assert.Equal(1, byAlias.RootElement.GetProperty("version").GetInt32());
        using var lineage = JsonDocument.Parse(await http.GetStringAsync($"/api/v1/models/{model}/versions/1/lineage", TestData.Cancel));
        Assert.Equal("customers", lineage.RootElement.GetProperty("datasets")[0].GetProperty("name").GetString());
        using var history = JsonDocument.Parse(await http.GetStringAsync($"/api/v1/models/{model}/history", TestData.Cancel));
        Assert.Equal(3, history.RootElement.GetProperty("events").GetArrayLength());

        var conflict = await http.PutAsJsonAsync($"/api/v1/models/{model}/aliases/champion", new { version = 1, expectedCurrentVersion = 5 }, TestData.Cancel);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode); // Aborted
        var missing = await http.GetAsync($"/api/v1/models/{model}/versions/9", TestData.Cancel);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
