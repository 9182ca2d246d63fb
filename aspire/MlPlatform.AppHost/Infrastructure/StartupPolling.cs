using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MlPlatform.AppHost.Infrastructure;

/// <summary>
/// Repeats a failing probe for a few seconds inside one health check. Aspire re-runs a failing check only
/// after 1, 2, 3, 4, then 5 s; polling here notices a server that just came up within ~100 ms instead.
/// </summary>
internal static class StartupPolling
{
    private static readonly TimeSpan s_window = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan s_interval = TimeSpan.FromMilliseconds(100);

    public static async Task<HealthCheckResult> UntilHealthyAsync(
        Func<CancellationToken, Task<HealthCheckResult>> probe, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var result = await probe(cancellationToken);
            if (result.Status == HealthStatus.Healthy || Stopwatch.GetElapsedTime(started) >= s_window)
            {
                return result;
            }

            await Task.Delay(s_interval, cancellationToken);
        }
    }
}
