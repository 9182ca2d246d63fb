using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Projections;
using MlPlatform.Registry.Deprecating;
using MlPlatform.Registry.RegisteringVersions;
using MlPlatform.Registry.VersionTags;

namespace MlPlatform.Registry.ModelCatalog;

internal static class ModelCatalogConfig
{
    /// <summary>Read models are updated in the transaction that appends the events, so a change is readable once its call returns.</summary>
    public static void AddModelCatalog(this StoreOptions options)
    {
        options.Projections.Snapshot<RegisteredModel>(SnapshotLifecycle.Inline);
        options.Projections.Add<ModelVersionProjection>(ProjectionLifecycle.Inline);
        options.Schema.For<ModelVersion>().Index(v => v.Model);
    }
}

/// <summary>One document per version, keyed by <see cref="ModelVersion.Key"/>.</summary>
internal sealed class ModelVersionProjection : MultiStreamProjection<ModelVersion, string>
{
    public ModelVersionProjection()
    {
        Identity<ModelVersionCreated>(e => ModelVersion.Key(e.Model, e.Version));
        Identity<ModelVersionTagSet>(e => ModelVersion.Key(e.Model, e.Version));
        Identity<ModelVersionTagDeleted>(e => ModelVersion.Key(e.Model, e.Version));
        Identity<ModelVersionDeprecated>(e => ModelVersion.Key(e.Model, e.Version));
    }

    public static ModelVersion Create(ModelVersionCreated created) => ModelVersion.From(created);

    public static ModelVersion Apply(ModelVersionTagSet set, ModelVersion version) => version.Apply(set);

    public static ModelVersion Apply(ModelVersionTagDeleted deleted, ModelVersion version) => version.Apply(deleted);

    public static ModelVersion Apply(ModelVersionDeprecated deprecated, ModelVersion version) => version.Apply(deprecated);
}
