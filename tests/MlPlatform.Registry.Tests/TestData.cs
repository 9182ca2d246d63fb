using System.Text;
using Google.Protobuf;
using Grpc.Core;
using MlPlatform.Api.Registry.V1;
using MlPlatform.Api.Tracking.V1;

namespace MlPlatform.Registry.Tests;

/// <summary>Short ways to set up what a test needs in Tracking and the Registry, and to expect a failure.</summary>
internal static class TestData
{
    public const string ModelPath = "model/model.zip";

    public static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 100)];

    public static async Task<string> NewModelAsync(this RegistryClient registry, string prefix = "model")
    {
        var name = UniqueName(prefix);
        await registry.CreateRegisteredModelAsync(new CreateRegisteredModelRequest { Name = name }, cancellationToken: Cancel);
        return name;
    }

    /// <summary>A run with a model artifact (and whatever else is given), ended as <paramref name="status"/>.</summary>
    public static async Task<Run> NewRunAsync(
        this TrackingClient tracking,
        RunStatus status = RunStatus.Finished,
        IEnumerable<(string Name, int Version)>? datasets = null,
        IEnumerable<(string Key, double Value)>? metrics = null,
        IReadOnlyDictionary<string, string>? artifacts = null)
    {
        var experiment = await tracking.CreateExperimentAsync(new CreateExperimentRequest { Name = UniqueName("exp") }, cancellationToken: Cancel);
        var run = await tracking.StartRunAsync(new StartRunRequest
        {
            Experiment = experiment.Name,
            RunName = "training",
            DatasetInputs = { (datasets ?? []).Select(d => new DatasetInput { Name = d.Name, Version = d.Version }) },
        }, cancellationToken: Cancel);
        await tracking.LogParamsAsync(new LogParamsRequest { RunId = run.RunId, Params = { ["trainer"] = "FastTree" } }, cancellationToken: Cancel);
        if (metrics is not null)
        {
            await tracking.LogMetricsAsync(new LogMetricsRequest
            {
                RunId = run.RunId,
                Points = { metrics.Select(m => new MetricPoint { Key = m.Key, Value = m.Value, Step = 1 }) },
            }, cancellationToken: Cancel);
        }

        foreach (var (path, content) in artifacts ?? new Dictionary<string, string> { [ModelPath] = "model bytes" })
        {
            await tracking.UploadAsync(run.RunId, path, content);
        }

        if (status != RunStatus.Running)
        {
            await tracking.EndRunAsync(new EndRunRequest { RunId = run.RunId, Status = status }, cancellationToken: Cancel);
        }

        return await tracking.GetRunAsync(new GetRunRequest { RunId = run.RunId }, cancellationToken: Cancel);
    }

    public static async Task UploadAsync(this TrackingClient tracking, string runId, string path, string content)
    {
        using var upload = tracking.UploadArtifact(cancellationToken: Cancel);
        await upload.RequestStream.WriteAsync(new UploadArtifactRequest { RunId = runId, Path = path, Content = ByteString.CopyFrom(Encoding.UTF8.GetBytes(content)) }, Cancel);
        await upload.RequestStream.CompleteAsync();
        await upload.ResponseAsync;
    }

    public static Task<ModelVersion> RegisterAsync(this RegistryClient registry, string model, string runId, string artifactPath = ModelPath, ModelSignature? signature = null) =>
        registry.CreateModelVersionAsync(new CreateModelVersionRequest { Model = model, RunId = runId, ArtifactPath = artifactPath, Signature = signature }, cancellationToken: Cancel).ResponseAsync;

    /// <summary>A model with <paramref name="versions"/> versions registered from one finished run.</summary>
    public static async Task<string> NewModelWithVersionsAsync(this RegistryPlatform platform, int versions, string prefix = "model")
    {
        var model = await platform.RegistryClient.NewModelAsync(prefix);
        var run = await platform.TrackingClient.NewRunAsync();
        for (var i = 0; i < versions; i++)
        {
            await platform.RegistryClient.RegisterAsync(model, run.RunId);
        }

        return model;
    }

    public static Task<RegisteredModel> SetAliasAsync(this RegistryClient registry, string model, string alias, int version, int? expected = null)
    {
        var request = new SetAliasRequest { Model = model, Alias = alias, Version = version };
        if (expected is { } value)
        {
            request.ExpectedCurrentVersion = value;
        }

        return registry.SetAliasAsync(request, cancellationToken: Cancel).ResponseAsync;
    }

    public static Task<ModelVersion> GetVersionAsync(this RegistryClient registry, string model, int version) =>
        registry.GetModelVersionAsync(new GetModelVersionRequest { Model = model, Version = version }, cancellationToken: Cancel).ResponseAsync;

    public static Task<RegisteredModel> GetModelAsync(this RegistryClient registry, string model) =>
        registry.GetRegisteredModelAsync(new GetRegisteredModelRequest { Name = model }, cancellationToken: Cancel).ResponseAsync;
}

internal static class Expect
{
    /// <summary>The call fails with <paramref name="code"/> and a message containing every fragment.</summary>
    public static async Task<RpcException> Status(StatusCode code, Func<Task> call, params string[] fragments)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.True(code == error.StatusCode, $"Expected {code} but got {error.StatusCode}: {error.Status.Detail}");
        foreach (var fragment in fragments)
        {
            Assert.Contains(fragment, error.Status.Detail, StringComparison.Ordinal);
        }

        return error;
    }
}
