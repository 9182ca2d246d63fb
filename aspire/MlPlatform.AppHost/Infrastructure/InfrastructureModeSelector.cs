using Microsoft.Extensions.Configuration;

namespace MlPlatform.AppHost.Infrastructure;

/// <summary>
/// Chooses how the infrastructure runs: given connection strings, else containers on a healthy runtime,
/// else local server processes; <c>MlPlatform:Infrastructure</c> can force a mode.
/// </summary>
internal static class InfrastructureModeSelector
{
    private const string Forced = "forced by MlPlatform:Infrastructure";

    private static readonly string[] s_connectionStringKeys =
        [$"ConnectionStrings:{InfrastructureNames.Postgres}", $"ConnectionStrings:{InfrastructureNames.Messaging}"];

    /// <exception cref="InfrastructureUnavailableException">Nothing can provide the servers.</exception>
    public static InfrastructureDecision Decide(IConfiguration configuration, InfrastructureOptions options)
    {
        var missingConnectionStrings = s_connectionStringKeys.Where(key => string.IsNullOrWhiteSpace(configuration[key])).ToList();
        return options.RequestedMode.ToLowerInvariant() switch
        {
            "auto" => DecideAutomatically(configuration, options, missingConnectionStrings),
            "containers" => new InfrastructureDecision(InfrastructureMode.Containers, Forced),
            "local" => Local(Forced, options, whyNotOthers: [$"local processes {Forced}"]),
            "connection-strings" when missingConnectionStrings.Count == 0 =>
                new InfrastructureDecision(InfrastructureMode.ConnectionStrings, Forced),
            "connection-strings" => throw Unavailable(
                [$"connection strings {Forced}", $"{string.Join(" and ", missingConnectionStrings)} not set"],
                $"Set {string.Join(" and ", missingConnectionStrings)}."),
            var other => throw Unavailable(
                [$"MlPlatform:Infrastructure is '{other}'"],
                "Use containers, local, connection-strings or auto."),
        };
    }

    private static InfrastructureDecision DecideAutomatically(
        IConfiguration configuration, InfrastructureOptions options, List<string> missingConnectionStrings)
    {
        if (missingConnectionStrings.Count == 0)
        {
            return new InfrastructureDecision(
                InfrastructureMode.ConnectionStrings, $"{string.Join(" and ", s_connectionStringKeys)} are set");
        }

        var probe = ContainerRuntimeProbe.Probe(configuration["ASPIRE_CONTAINER_RUNTIME"]);
        if (probe.HealthyRuntime is not null)
        {
            return new InfrastructureDecision(InfrastructureMode.Containers, probe.Summary) { ContainerRuntime = probe.HealthyRuntime };
        }

        var noRuntime = $"no healthy container runtime: {probe.Summary}";
        // Half a pair of connection strings is ignored: say so, or the developer wonders why.
        var reason = missingConnectionStrings.Count == 1
            ? $"{s_connectionStringKeys.Except(missingConnectionStrings).Single()} ignored without {missingConnectionStrings[0]}; {noRuntime}"
            : noRuntime;
        var noServers = $"no existing servers: {string.Join(" and ", missingConnectionStrings)} not set";
        return Local(reason, options, whyNotOthers: [noServers, noRuntime]);
    }

    private static InfrastructureDecision Local(string reason, InfrastructureOptions options, string[] whyNotOthers)
    {
        var servers = LocalServerInstallation.Find(options, out var missing);
        return servers is not null
            ? new InfrastructureDecision(InfrastructureMode.LocalProcesses, reason) { LocalServers = servers }
            : throw Unavailable(
                [.. whyNotOthers, $"local servers missing: {string.Join("; ", missing)}"],
                $"Install the local servers with: {LocalServerInstallation.InstallCommand}\n" +
                "  (or start Docker or Podman, or set ConnectionStrings:postgres and ConnectionStrings:messaging).");
    }

    private static InfrastructureUnavailableException Unavailable(IEnumerable<string> findings, string remedy) => new(
        "MlPlatform infrastructure: cannot run PostgreSQL and RabbitMQ.\n" +
        string.Concat(findings.Select(finding => $"  - {finding}\n")) +
        $"  {remedy}");
}
