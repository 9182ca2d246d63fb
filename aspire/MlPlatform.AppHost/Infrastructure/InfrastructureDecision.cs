namespace MlPlatform.AppHost.Infrastructure;

/// <summary>The chosen mode, why it was chosen, and what it needs.</summary>
internal sealed record InfrastructureDecision(InfrastructureMode Mode, string Reason)
{
    /// <summary>Set for <see cref="InfrastructureMode.LocalProcesses"/>.</summary>
    public LocalServerInstallation? LocalServers { get; init; }

    /// <summary>Set for <see cref="InfrastructureMode.Containers"/> when a probe found it.</summary>
    public string? ContainerRuntime { get; init; }
}
