using MlPlatform.Contracts;
using MlPlatform.TestSupport.Services;

namespace MlPlatform.Datasets.Tests.Api;

/// <summary>The service with a broker of its own, so a test can take it down.</summary>
public sealed class DedicatedBrokerFactory() : DatasetsFactory(dedicatedBroker: true, DefaultMaxUploadBytes);

public sealed class IntegrationEventTests(DedicatedBrokerFactory service) : IClassFixture<DedicatedBrokerFactory>
{
    private readonly DatasetsClient _client = service.Client;

    [Fact]
    public async Task A_new_version_is_published_once_with_its_schema_and_identical_content_publishes_nothing()
    {
        await using var probe = await EventProbe<DatasetVersionCreated>.StartAsync(service.MessagingConnectionString, TestContext.Current.CancellationToken);
        var dataset = await _client.NewDatasetAsync();

        var version = (await _client.UploadAsync(dataset, "id,name\n1,a\n2,\n")).Version;
        await _client.UploadAsync(dataset, "id,name\n1,a\n2,\n");

        var published = (await probe.WaitForOnlyAsync(e => e.Dataset == dataset, TimeSpan.FromSeconds(30))).Message;
        Assert.Equal(
            new DatasetVersionCreated(dataset, 1, version.Sha256, version.SizeBytes, 2, published.Schema, version.CreatedAt.ToDateTimeOffset()),
            published);
        Assert.Equal([new DatasetColumn("id", "int64", false), new DatasetColumn("name", "string", true)], published.Schema);
    }

    [Fact]
    public async Task A_version_committed_while_the_broker_is_down_is_published_once_it_is_back()
    {
        var broker = service.Broker!;
        await using var probe = await EventProbe<DatasetVersionCreated>.StartAsync(service.MessagingConnectionString, TestContext.Current.CancellationToken);
        var dataset = await _client.NewDatasetAsync();

        await broker.StopAsync();
        try
        {
            var response = await _client.UploadAsync(dataset, "n\n1\n");
            Assert.True(response.Created); // the upload does not wait for the broker
        }
        finally
        {
            await broker.StartAgainAsync(TestContext.Current.CancellationToken);
        }

        var delivery = await probe.WaitForOnlyAsync(e => e.Dataset == dataset, TimeSpan.FromSeconds(90));
        Assert.Equal(1, delivery.Message.Version);
        Assert.NotNull(delivery.MessageId);
    }
}
