namespace MlPlatform.AppHost.Infrastructure;

/// <summary>
/// Runs the broker's Erlang port mapper as a resource of its own. Started by the broker, epmd daemonises and
/// outlives it, even when the AppHost is killed; run in the foreground under the orchestrator, it stops with
/// everything else. Its dedicated port keeps this broker's node apart from any other broker on the machine.
/// </summary>
internal static class EpmdBuilderExtensions
{
    public static IResourceBuilder<ExecutableResource> AddEpmd(
        this IDistributedApplicationBuilder builder, string name, string epmdPath, int port, RabbitMqLayout layout) =>
        builder.AddExecutable(name, epmdPath, layout.Root, "-port", port.ToString(), "-address", "127.0.0.1")
            .OnBeforeResourceStarted((_, _, _) =>
            {
                // epmd starts first (the broker waits for it), so it creates the folders both run in.
                layout.Prepare();
                return Task.CompletedTask;
            });
}
