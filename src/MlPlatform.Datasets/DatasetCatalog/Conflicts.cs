using JasperFx;

namespace MlPlatform.Datasets.DatasetCatalog;

internal static class Conflicts
{
    private const int MaxAttempts = 10;

    /// <summary>
    /// Runs an optimistic write again, from a fresh read, when another writer committed to the
    /// same dataset first. Each attempt must open its own session. After the last attempt the
    /// conflict surfaces as <c>Aborted</c>.
    /// </summary>
    public static async Task<T> RetryAsync<T>(Func<Task<T>> attempt, CancellationToken cancellationToken)
    {
        for (var attempts = 1; ; attempts++)
        {
            try
            {
                return await attempt();
            }
            catch (ConcurrencyException) when (attempts < MaxAttempts)
            {
                // Random back-off, so writers that collided do not collide again in lockstep.
                await Task.Delay(Random.Shared.Next(1, 10 * attempts), cancellationToken);
            }
        }
    }
}
