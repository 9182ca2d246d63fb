using JasperFx;
using JasperFx.Events;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MlPlatform.Hosting.Outbox;

namespace MlPlatform.Hosting.EventStore;

public static class EventStoreExtensions
{
    /// <summary>
    /// Marten on the shared <c>postgres</c> connection, in a schema of the service's own
    /// (<c>MlPlatform:Schema</c> overrides it, which is how tests isolate themselves).
    /// Events carry the actor and correlation id; the outbox document lives in the same schema.
    /// </summary>
    public static MartenServiceCollectionExtensions.MartenConfigurationExpression AddEventStore(
        this IHostApplicationBuilder builder, string schema, Action<StoreOptions>? configure = null)
    {
        builder.AddNpgsqlDataSource(ConnectionNames.Postgres);
        builder.Services.AddHttpContextAccessor();

        var schemaName = builder.Configuration["MlPlatform:Schema"] ?? schema;
        var outboxSignal = new OutboxSignal();
        builder.Services.AddSingleton(outboxSignal);
        return builder.Services
            .AddMarten(options =>
            {
                options.DatabaseSchemaName = schemaName;
                options.Events.DatabaseSchemaName = schemaName;
                options.Events.StreamIdentity = StreamIdentity.AsString;
                options.Events.MetadataConfig.HeadersEnabled = true;
                options.Events.MetadataConfig.CorrelationIdEnabled = true;
                options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
                options.Listeners.Add(outboxSignal);
                configure?.Invoke(options);
            })
            .UseNpgsqlDataSource()
            .BuildSessionsWith<ActorSessionFactory>()
            .ApplyAllDatabaseChangesOnStartup();
    }
}
