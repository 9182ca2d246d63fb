using Grpc.Core;
using MlPlatform.Hosting.Grpc;
using MlPlatform.Registry.ModelCatalog;
using TrackingApi = MlPlatform.Api.Tracking.V1;

namespace MlPlatform.Registry.RegisteringVersions;

/// <summary>What a new version records about where it came from, read from Tracking.</summary>
internal sealed record VersionSource(SourceRun Run, ModelArtifact Artifact, Signature Signature);

/// <summary>
/// Asks Tracking whether a run can be the source of a model version — it exists, FINISHED, and
/// holds the model artifact — and reads the lineage to record. Anything the caller must fix is
/// <c>FailedPrecondition</c>; Tracking being unreachable is <c>Unavailable</c> (retry).
/// </summary>
internal sealed class TrackingLineage(TrackingApi.Tracking.TrackingClient tracking)
{
    private static readonly TimeSpan s_callTimeout = TimeSpan.FromSeconds(15);

    public async Task<VersionSource> ReadAsync(string runId, string artifactPath, Signature? supplied, CancellationToken cancellationToken)
    {
        var run = await CallAsync(runId, "read run", () => tracking.GetRunAsync(new TrackingApi.GetRunRequest { RunId = runId }, Options(cancellationToken)).ResponseAsync);
        if (run.Deleted)
        {
            throw Errors.FailedPrecondition($"Run '{runId}' is deleted in Tracking; restore it before registering a model from it.");
        }

        if (run.Status != TrackingApi.RunStatus.Finished)
        {
            var advice = run.Status == TrackingApi.RunStatus.Running ? "end it as FINISHED first" : "only a run that FINISHED successfully can be registered";
            throw Errors.FailedPrecondition($"Run '{runId}' is {StatusText(run.Status)}; {advice}.");
        }

        var artifact = run.Artifacts.FirstOrDefault(a => a.Path == artifactPath)
            ?? throw Errors.FailedPrecondition(
                $"Run '{runId}' holds no artifact at '{artifactPath}'; " +
                (run.Artifacts.Count == 0 ? "it has no artifacts." : $"its artifacts are {string.Join(", ", run.Artifacts.Select(a => a.Path))}."));

        var experimentName = await ExperimentNameAsync(run.ExperimentId, cancellationToken);
        var signature = supplied ?? await ReadSignatureAsync(run, artifactPath, cancellationToken);
        var source = new SourceRun(
            run.RunId,
            run.RunName,
            run.ExperimentId,
            experimentName,
            run.StartTime.ToDateTimeOffset(),
            run.EndTime?.ToDateTimeOffset(),
            [.. run.DatasetInputs.Select(d => new DatasetRef(d.Name, d.Version))],
            // JSON has no NaN or ±Infinity: the finite values are the ones a person compares.
            run.LatestMetrics.Where(m => double.IsFinite(m.Value)).ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal),
            run.Params.ToDictionary(StringComparer.Ordinal));
        return new VersionSource(source, new ModelArtifact(artifact.Path, artifact.Sha256, artifact.SizeBytes), signature);
    }

    private async Task<string> ExperimentNameAsync(string experimentId, CancellationToken cancellationToken)
    {
        try
        {
            return (await tracking.GetExperimentAsync(new TrackingApi.GetExperimentRequest { Name = experimentId }, Options(cancellationToken))).Name;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            return ""; // the run names it, so this cannot normally happen; the id is enough lineage
        }
    }

    /// <summary>The caller gave none: <c>signature.json</c> next to the model, if the run has one.</summary>
    private async Task<Signature> ReadSignatureAsync(TrackingApi.Run run, string modelPath, CancellationToken cancellationToken)
    {
        var path = Signatures.PathNextTo(modelPath);
        if (path == modelPath || run.Artifacts.FirstOrDefault(a => a.Path == path) is not { } file)
        {
            return Signature.None;
        }

        if (file.SizeBytes > Signatures.MaxFileBytes)
        {
            throw Errors.FailedPrecondition($"Artifact '{path}' of run '{run.RunId}' is {file.SizeBytes} bytes; a signature file is at most {Signatures.MaxFileBytes}.");
        }

        var content = await CallAsync(run.RunId, "download the signature", async () =>
        {
            using var download = tracking.DownloadArtifact(new TrackingApi.DownloadArtifactRequest { RunId = run.RunId, Path = path }, Options(cancellationToken));
            using var buffer = new MemoryStream();
            await foreach (var chunk in download.ResponseStream.ReadAllAsync(cancellationToken))
            {
                chunk.Content.WriteTo(buffer);
            }

            return buffer.ToArray();
        });

        try
        {
            return Signatures.Parse(content);
        }
        catch (FormatException ex)
        {
            throw Errors.FailedPrecondition(
                $"Artifact '{path}' of run '{run.RunId}' is not a valid signature: {ex.Message}. Fix it or pass the signature in the request.");
        }
    }

    private static CallOptions Options(CancellationToken cancellationToken) =>
        new(deadline: DateTime.UtcNow.Add(s_callTimeout), cancellationToken: cancellationToken);

    /// <summary>Tracking's answers, translated into what they mean for the caller of the Registry.</summary>
    private static async Task<T> CallAsync<T>(string runId, string what, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.NotFound or StatusCode.InvalidArgument)
        {
            throw Errors.FailedPrecondition($"Tracking has no run '{runId}' ({ex.Status.Detail}); register a version from an existing, FINISHED run.");
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Internal or StatusCode.Unknown)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, $"Could not {what} of '{runId}' in Tracking ({ex.StatusCode}); nothing was registered. Retry later."));
        }
    }

    private static string StatusText(TrackingApi.RunStatus status) => status switch
    {
        TrackingApi.RunStatus.Running => "RUNNING",
        TrackingApi.RunStatus.Failed => "FAILED",
        TrackingApi.RunStatus.Killed => "KILLED",
        TrackingApi.RunStatus.Finished => "FINISHED",
        _ => status.ToString().ToUpperInvariant(),
    };
}
