using JasperFx.Events.Projections;
using Marten;

namespace MlPlatform.Tracking.Experiments;

public sealed record ExperimentCreated(string Id, string Name, IReadOnlyDictionary<string, string> Tags, DateTimeOffset CreatedAt);

public sealed record ExperimentArchived(DateTimeOffset ArchivedAt);

public sealed record ExperimentRestored(DateTimeOffset RestoredAt);

/// <summary>An experiment groups runs; folded from its event stream (the stream id is its id).</summary>
public sealed record Experiment(string Id, string Name, IReadOnlyDictionary<string, string> Tags, DateTimeOffset CreatedAt, bool Archived)
{
    public static Experiment Create(ExperimentCreated created) =>
        new(created.Id, created.Name, created.Tags, created.CreatedAt, Archived: false);

    public Experiment Apply(ExperimentArchived archived) => this with { Archived = true };

    public Experiment Apply(ExperimentRestored restored) => this with { Archived = false };
}

internal static class ExperimentsConfig
{
    public static void AddExperiments(this StoreOptions options)
    {
        options.Projections.Snapshot<Experiment>(SnapshotLifecycle.Inline);
        options.Schema.For<Experiment>().UniqueIndex(e => e.Name);
    }
}
