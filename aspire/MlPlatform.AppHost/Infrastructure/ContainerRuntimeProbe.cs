namespace MlPlatform.AppHost.Infrastructure;

/// <summary>Which container runtime answered, or why none did.</summary>
internal sealed record ContainerRuntimeProbeResult(string? HealthyRuntime, string Summary);

/// <summary>
/// Asks <c>docker info</c> / <c>podman info</c> whether a container engine really runs: a CLI without an
/// engine leaves Aspire's containers in RuntimeUnhealthy and everything that waits for them hangs.
/// </summary>
internal static class ContainerRuntimeProbe
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(5);

    /// <param name="configuredRuntime">ASPIRE_CONTAINER_RUNTIME, when set: only that runtime is asked.</param>
    public static ContainerRuntimeProbeResult Probe(string? configuredRuntime)
    {
        string[] runtimes = string.IsNullOrEmpty(configuredRuntime) ? ["docker", "podman"] : [configuredRuntime];
        var failures = new List<string>();
        foreach (var runtime in runtimes)
        {
            var path = ExecutablePath.Find(runtime);
            if (path is null)
            {
                failures.Add($"`{runtime}` not found");
                continue;
            }

            // Blocking is fine here: it runs once, while the app model is built and before any host starts.
            var result = ProcessRunner.RunAsync(path, ["info"], s_timeout).GetAwaiter().GetResult();
            if (result.Succeeded)
            {
                return new ContainerRuntimeProbeResult(runtime, $"`{runtime} info` succeeded");
            }

            failures.Add(result.TimedOut
                ? $"`{runtime} info` did not answer within {s_timeout.TotalSeconds:0} s"
                : $"`{runtime} info` failed: {result.Reason}");
        }

        return new ContainerRuntimeProbeResult(null, string.Join("; ", failures));
    }
}
