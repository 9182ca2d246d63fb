using Marten;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using MlPlatform.Builds.DatasetVersions;
using MlPlatform.Contracts;
using MlPlatform.Hosting.Messaging;
using MlPlatform.TestSupport.Services;
using Xunit;

namespace MlPlatform.Builds.Tests;

public sealed class BuildsFactory : ServiceFactory<Program>;

/// <summary>Builds learns of dataset versions from the Datasets service's events, over the real broker.</summary>
public sealed class DatasetVersionCreatedConsumerTests(BuildsFactory builds) : IClassFixture<BuildsFactory>
{
    [Fact]
    public async Task An_announced_dataset_version_becomes_known_once_even_when_delivered_twice()
    {
        var created = new DatasetVersionCreated("houses", 3, new string('a', 64), 1024, 10, [new DatasetColumn("price", "double", false)], DateTimeOffset.UtcNow);
        var messageId = Guid.NewGuid();

        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.UseBroker(new Uri(builds.MessagingConnectionString)));
        await bus.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            // At-least-once delivery: the same message may arrive twice.
            await bus.Publish(created, context => context.MessageId = messageId, TestContext.Current.CancellationToken);
            await bus.Publish(created, context => context.MessageId = messageId, TestContext.Current.CancellationToken);

            var known = await WaitForAsync(() => LoadAsync("houses@3"), TimeSpan.FromSeconds(30));

            Assert.Equal(new KnownDatasetVersion("houses@3", "houses", 3, created.Sha256, 10), known);
            await using var session = builds.Services.GetRequiredService<IDocumentStore>().QuerySession();
            Assert.Equal(1, await session.Query<KnownDatasetVersion>().CountAsync(v => v.Dataset == "houses", TestContext.Current.CancellationToken));
        }
        finally
        {
            await bus.StopAsync(TestContext.Current.CancellationToken);
        }
    }

    private async Task<KnownDatasetVersion?> LoadAsync(string id)
    {
        await using var session = builds.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.LoadAsync<KnownDatasetVersion>(id);
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, TimeSpan timeout) where T : class
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            await Task.Delay(100, deadline.Token);
        }
    }
}
