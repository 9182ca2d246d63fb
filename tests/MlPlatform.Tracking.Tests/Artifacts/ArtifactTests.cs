using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using MlPlatform.Api.Tracking.V1;
using TrackingClient = MlPlatform.Api.Tracking.V1.Tracking.TrackingClient;

namespace MlPlatform.Tracking.Tests.Artifacts;

public sealed class ArtifactTests(TrackingFactory factory) : IClassFixture<TrackingFactory>
{
    private readonly TrackingClient _client = factory.Client;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_uploaded_artifact_downloads_byte_for_byte_and_is_listed_with_its_hash()
    {
        var run = await _client.NewRunAsync();
        var content = RandomNumberGenerator.GetBytes(1_000_000);

        var artifact = await UploadAsync(run.RunId, "model/model.zip", content, chunkSize: 64 * 1024);

        Assert.Equal("model/model.zip", artifact.Path);
        Assert.Equal(content.Length, artifact.SizeBytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), artifact.Sha256);
        Assert.Equal(content, await DownloadAsync(run.RunId, "model/model.zip"));
        Assert.Equal(artifact, Assert.Single((await _client.GetAsync(run.RunId)).Artifacts));
    }

    [Fact]
    public async Task Listing_filters_by_folder_and_a_new_upload_replaces_the_path()
    {
        var run = await _client.NewRunAsync();
        await UploadAsync(run.RunId, "plots/loss.png", [1, 2, 3]);
        await UploadAsync(run.RunId, "model/model.zip", [4]);
        await UploadAsync(run.RunId, "model/signature.json", [5]);
        await UploadAsync(run.RunId, "model/model.zip", [6, 7]);

        var all = await _client.ListArtifactsAsync(new ListArtifactsRequest { RunId = run.RunId }, cancellationToken: Cancel);
        Assert.Equal(["model/model.zip", "model/signature.json", "plots/loss.png"], all.Artifacts.Select(a => a.Path));
        var model = await _client.ListArtifactsAsync(new ListArtifactsRequest { RunId = run.RunId, Prefix = "model/" }, cancellationToken: Cancel);
        Assert.Equal(2, model.Artifacts.Count);
        Assert.Equal([6, 7], await DownloadAsync(run.RunId, "model/model.zip"));
    }

    [Fact]
    public async Task An_empty_artifact_is_fine()
    {
        var run = await _client.NewRunAsync();
        Assert.Equal(0, (await UploadAsync(run.RunId, "empty.txt", [])).SizeBytes);
        Assert.Empty(await DownloadAsync(run.RunId, "empty.txt"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("/etc/passwd")]
    [InlineData("../outside")]
    [InlineData("model/../../outside")]
    [InlineData("model//x")]
    [InlineData("./x")]
    [InlineData("a\\b")]
    public async Task Paths_stay_inside_the_run(string path)
    {
        var run = await _client.NewRunAsync();
        await Expect.Status(StatusCode.InvalidArgument, () => UploadAsync(run.RunId, path, [1]), "path");
    }

    [Fact]
    public async Task Artifacts_go_to_running_runs_only()
    {
        var run = await _client.NewRunAsync();
        await _client.EndAsync(run.RunId);

        await Expect.Status(StatusCode.FailedPrecondition, () => UploadAsync(run.RunId, "late.txt", [1]), "FINISHED");
        await Expect.Status(StatusCode.NotFound, () => UploadAsync("missing", "x.txt", [1]), "missing");
    }

    [Fact]
    public async Task Downloading_something_that_is_not_there_is_not_found()
    {
        var run = await _client.NewRunAsync();
        await Expect.Status(StatusCode.NotFound, () => DownloadAsync(run.RunId, "nothing.bin"), "nothing.bin");
        await Expect.Status(StatusCode.NotFound, () => DownloadAsync("missing", "x"), "missing");
    }

    [Fact]
    public async Task A_stream_uploads_one_path_of_one_run()
    {
        var run = await _client.NewRunAsync();
        using var call = _client.UploadArtifact(cancellationToken: Cancel);
        await call.RequestStream.WriteAsync(new UploadArtifactRequest { RunId = run.RunId, Path = "a.txt", Content = ByteString.CopyFrom(1) }, Cancel);
        await call.RequestStream.WriteAsync(new UploadArtifactRequest { Path = "b.txt", Content = ByteString.CopyFrom(2) }, Cancel);
        await call.RequestStream.CompleteAsync();

        await Expect.Status(StatusCode.InvalidArgument, async () => await call, "content only");
        Assert.Empty((await _client.ListArtifactsAsync(new ListArtifactsRequest { RunId = run.RunId }, cancellationToken: Cancel)).Artifacts);
    }

    private async Task<Artifact> UploadAsync(string runId, string path, byte[] content, int chunkSize = 1000)
    {
        using var call = _client.UploadArtifact(cancellationToken: Cancel);
        await call.RequestStream.WriteAsync(new UploadArtifactRequest { RunId = runId, Path = path }, Cancel);
        for (var offset = 0; offset < content.Length; offset += chunkSize)
        {
            var chunk = content.AsMemory(offset, Math.Min(chunkSize, content.Length - offset));
            await call.RequestStream.WriteAsync(new UploadArtifactRequest { Content = ByteString.CopyFrom(chunk.Span) }, Cancel);
        }

        await call.RequestStream.CompleteAsync();
        return await call;
    }

    private async Task<byte[]> DownloadAsync(string runId, string path)
    {
        using var call = _client.DownloadArtifact(new DownloadArtifactRequest { RunId = runId, Path = path }, cancellationToken: Cancel);
        using var content = new MemoryStream();
        await foreach (var chunk in call.ResponseStream.ReadAllAsync(Cancel))
        {
            chunk.Content.WriteTo(content);
        }

        return content.ToArray();
    }
}
