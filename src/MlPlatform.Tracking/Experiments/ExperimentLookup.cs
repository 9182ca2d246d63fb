using Marten;
using MlPlatform.Hosting.Grpc;

namespace MlPlatform.Tracking.Experiments;

internal static class ExperimentLookup
{
    /// <summary>The experiment with this name or id.</summary>
    public static async Task<Experiment> GetAsync(IQuerySession session, string nameOrId, CancellationToken cancellationToken)
    {
        if (nameOrId.Length == 0)
        {
            throw Errors.InvalidArgument("An experiment name or id is required.");
        }

        return await session.Query<Experiment>().FirstOrDefaultAsync(e => e.Name == nameOrId || e.Id == nameOrId, cancellationToken)
            ?? throw Errors.NotFound($"Experiment '{nameOrId}' does not exist.");
    }

    /// <summary>The ids of the experiments with these names or ids; NotFound names any that do not exist.</summary>
    public static async Task<IReadOnlyList<string>> IdsAsync(IQuerySession session, IReadOnlyCollection<string> namesOrIds, CancellationToken cancellationToken)
    {
        if (namesOrIds.Count == 0)
        {
            return [];
        }

        var wanted = namesOrIds.ToArray();
        var found = await session.Query<Experiment>()
            .Where(e => e.Name.IsOneOf(wanted) || e.Id.IsOneOf(wanted))
            .ToListAsync(cancellationToken);
        var missing = wanted.Where(w => !found.Any(e => e.Name == w || e.Id == w)).ToList();
        return missing.Count == 0
            ? [.. found.Select(e => e.Id).Distinct()]
            : throw Errors.NotFound($"No experiment is named {string.Join(", ", missing.Select(m => $"'{m}'"))}.");
    }
}
