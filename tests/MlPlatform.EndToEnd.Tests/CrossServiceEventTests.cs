using System.Text;
using Aspire.Hosting.ApplicationModel;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using DatasetsApi = MlPlatform.Api.Datasets.V1;

namespace MlPlatform.EndToEnd.Tests;

/// <summary>An integration event leaves one service through its outbox and reaches another over RabbitMQ.</summary>
[Collection(PlatformCollection.Name)]
public sealed class CrossServiceEventTests(PlatformFixture platform)
{
    [Fact]
    public async Task A_dataset_version_uploaded_through_the_gateway_reaches_the_builds_service()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var announced = WaitForLogLineAsync("builds", "Dataset version smoke-events@1 is available for training", timeout.Token);

        var datasets = new DatasetsApi.Datasets.DatasetsClient(platform.Gateway);
        await datasets.CreateDatasetAsync(new() { Name = "smoke-events" }, cancellationToken: timeout.Token);
        using var upload = datasets.UploadDatasetVersion(cancellationToken: timeout.Token);
        await upload.RequestStream.WriteAsync(new() { Header = new() { Dataset = "smoke-events", Format = DatasetsApi.DatasetFormat.Csv } }, timeout.Token);
        await upload.RequestStream.WriteAsync(new() { Chunk = ByteString.CopyFrom("x,y\n1,2.5\n2,3.5\n", Encoding.UTF8) }, timeout.Token);
        await upload.RequestStream.CompleteAsync();
        var uploaded = await upload;

        Assert.True(uploaded.Created);
        Assert.Equal(1, uploaded.Version.Version);
        await announced;
    }

    private async Task WaitForLogLineAsync(string resource, string text, CancellationToken cancellationToken)
    {
        var logs = platform.App.Services.GetRequiredService<ResourceLoggerService>();
        var model = platform.App.Services.GetRequiredService<DistributedApplicationModel>();
        await foreach (var batch in logs.WatchAsync(model.Resources.Single(r => r.Name == resource)).WithCancellation(cancellationToken))
        {
            if (batch.Any(line => line.Content.Contains(text, StringComparison.Ordinal)))
            {
                return;
            }
        }
    }
}
