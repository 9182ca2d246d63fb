using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using MlPlatform.Api.Registry.V1;
using TrackingRunStatus = MlPlatform.Api.Tracking.V1.RunStatus;

namespace MlPlatform.Registry.Tests;

/// <summary>Registering versions from Tracking runs: what is checked with Tracking and what is recorded.</summary>
public sealed class ModelVersionTests(RegistryPlatform platform)
{
    private readonly RegistryClient _registry = platform.RegistryClient;
    private readonly TrackingClient _tracking = platform.TrackingClient;

    [Fact]
    public async Task A_version_records_its_run_experiment_datasets_artifact_hash_and_metrics()
    {
        var model = await _registry.NewModelAsync();
        var run = await _tracking.NewRunAsync(datasets: [("customers", 3), ("events", 7)], metrics: [("rmse", 0.25), ("r2", 0.9), ("bad", double.NaN)]);

        var version = await _registry.CreateModelVersionAsync(new CreateModelVersionRequest
        {
            Model = model,
            RunId = run.RunId,
            ArtifactPath = TestData.ModelPath,
            Description = "first",
            Tags = { ["by"] = "test" },
        }, cancellationToken: TestData.Cancel);

        Assert.Equal(1, version.Version);
        Assert.Equal(ModelVersionStatus.Active, version.Status);
        Assert.Equal(run.RunId, version.RunId);
        Assert.Equal(run.ExperimentId, version.ExperimentId);
        Assert.Equal(TestData.ModelPath, version.ArtifactPath);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("model bytes"))), version.ArtifactSha256);
        Assert.Equal(11, version.ArtifactSizeBytes);
        Assert.Equal(["customers@3", "events@7"], version.DatasetInputs.Select(d => $"{d.Name}@{d.Version}"));
        Assert.Equal(new Dictionary<string, double> { ["rmse"] = 0.25, ["r2"] = 0.9 }, version.Metrics);
        Assert.Equal("test", version.Tags["by"]);
        Assert.Empty(version.Signature.Inputs);
        Assert.Equal(version, await _registry.GetVersionAsync(model, 1));
        Assert.Equal(1, (await _registry.GetModelAsync(model)).LatestVersion);
    }

    [Fact]
    public async Task Versions_are_numbered_per_model()
    {
        var first = await _registry.NewModelAsync();
        var second = await _registry.NewModelAsync();
        var run = await _tracking.NewRunAsync();

        Assert.Equal(1, (await _registry.RegisterAsync(first, run.RunId)).Version);
        Assert.Equal(2, (await _registry.RegisterAsync(first, run.RunId)).Version);
        Assert.Equal(1, (await _registry.RegisterAsync(second, run.RunId)).Version);
    }

    [Fact]
    public async Task The_signature_is_read_from_signature_json_next_to_the_model()
    {
        var model = await _registry.NewModelAsync();
        var run = await _tracking.NewRunAsync(artifacts: new Dictionary<string, string>
        {
            [TestData.ModelPath] = "model",
            ["model/signature.json"] = """
                {
                  "inputs": [ { "name": "age", "type": "double" }, { "name": "plan", "type": "string", "nullable": true },
                              { "name": "features", "type": "float", "size": 4 } ],
                  "outputs": [ { "name": "score", "type": "float" } ]
                }
                """,
        });

        var version = await _registry.RegisterAsync(model, run.RunId);

        Assert.Equal(
            [new SignatureColumn { Name = "age", Type = "double" }, new SignatureColumn { Name = "plan", Type = "string", Nullable = true }, new SignatureColumn { Name = "features", Type = "float", Size = 4 }],
            version.Signature.Inputs);
        Assert.Equal([new SignatureColumn { Name = "score", Type = "float" }], version.Signature.Outputs);
    }

    [Fact]
    public async Task A_signature_given_by_the_caller_wins_over_the_file()
    {
        var model = await _registry.NewModelAsync();
        var run = await _tracking.NewRunAsync(artifacts: new Dictionary<string, string> { [TestData.ModelPath] = "m", ["model/signature.json"] = "not even json" });
        var given = new ModelSignature { Inputs = { new SignatureColumn { Name = "x", Type = "int64" } }, Outputs = { new SignatureColumn { Name = "y", Type = "bool" } } };

        var version = await _registry.RegisterAsync(model, run.RunId, signature: given);

        Assert.Equal(given, version.Signature);
    }

    [Fact]
    public async Task An_invalid_signature_file_is_a_failed_precondition_that_names_the_problem()
    {
        var model = await _registry.NewModelAsync();
        var run = await _tracking.NewRunAsync(artifacts: new Dictionary<string, string>
        {
            [TestData.ModelPath] = "m",
            ["model/signature.json"] = """{ "inputs": [ { "name": "x", "type": "complex" } ] }""",
        });

        await Expect.Status(StatusCode.FailedPrecondition, () => _registry.RegisterAsync(model, run.RunId), "model/signature.json", "complex");
        Assert.Equal(0, (await _registry.GetModelAsync(model)).LatestVersion);
    }

    [Fact]
    public async Task An_invalid_signature_from_the_caller_is_an_invalid_argument()
    {
        var model = await _registry.NewModelAsync();
        var run = await _tracking.NewRunAsync();
        var given = new ModelSignature { Inputs = { new SignatureColumn { Name = "x", Type = "int64" }, new SignatureColumn { Name = "x", Type = "int64" } } };

        await Expect.Status(StatusCode.InvalidArgument, () => _registry.RegisterAsync(model, run.RunId, signature: given), "'x' twice");
    }

    [Theory]
    [InlineData(TrackingRunStatus.Running, "RUNNING")]
    [InlineData(TrackingRunStatus.Failed, "FAILED")]
    [InlineData(TrackingRunStatus.Killed, "KILLED")]
    public async Task Only_a_finished_run_can_be_registered(TrackingRunStatus status, string named)
    {
        var model = await _registry.NewModelAsync();
        var run = await _tracking.NewRunAsync(status);

        await Expect.Status(StatusCode.FailedPrecondition, () => _registry.RegisterAsync(model, run.RunId), run.RunId, named);
        Assert.Equal(0, (await _registry.GetModelAsync(model)).LatestVersion);
    }

    [Fact]
    public async Task An_unknown_run_is_a_failed_precondition()
    {
        var model = await _registry.NewModelAsync();

        await Expect.Status(StatusCode.FailedPrecondition, () => _registry.RegisterAsync(model, "0123456789abcdef0123456789abcdef"), "0123456789abcdef0123456789abcdef");
    }

    [Fact]
    public async Task A_missing_artifact_is_a_failed_precondition_listing_what_the_run_holds()
    {
        var model = await _registry.NewModelAsync();
        var run = await _tracking.NewRunAsync();

        await Expect.Status(StatusCode.FailedPrecondition, () => _registry.RegisterAsync(model, run.RunId, "model/other.zip"), "model/other.zip", TestData.ModelPath);
    }

    [Fact]
    public async Task An_unknown_model_is_not_found_and_Tracking_is_not_asked()
    {
        await Expect.Status(StatusCode.NotFound, () => _registry.RegisterAsync("no-such-model", "whatever"), "no-such-model");
    }

    [Theory]
    [InlineData("", "artifact_path")]
    [InlineData("/abs/model.zip", "artifact_path")]
    [InlineData("model/../x", "artifact_path")]
    public async Task An_invalid_artifact_path_is_an_invalid_argument(string path, string named)
    {
        var model = await _registry.NewModelAsync();
        await Expect.Status(StatusCode.InvalidArgument, () => _registry.RegisterAsync(model, "run", path), named);
    }

    [Fact]
    public async Task A_missing_run_id_is_an_invalid_argument()
    {
        var model = await _registry.NewModelAsync();
        await Expect.Status(StatusCode.InvalidArgument, () => _registry.RegisterAsync(model, ""), "run_id");
    }

    [Fact]
    public async Task Unknown_versions_are_not_found_and_bad_numbers_are_invalid()
    {
        var model = await platform.NewModelWithVersionsAsync(1);

        await Expect.Status(StatusCode.NotFound, () => _registry.GetVersionAsync(model, 2), "no version 2", "1 to 1");
        await Expect.Status(StatusCode.InvalidArgument, () => _registry.GetVersionAsync(model, 0), "version");
        await Expect.Status(StatusCode.NotFound, () => _registry.GetVersionAsync("nobody", 1), "nobody");
    }
}
