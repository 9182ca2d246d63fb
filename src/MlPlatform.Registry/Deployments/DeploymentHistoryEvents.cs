namespace MlPlatform.Registry.Deployments;

// What the Deployments service announced, recorded in the history of the models concerned.

/// <summary>A deployment of an endpoint started serving this version (replacing what it served before, if anything).</summary>
public sealed record ModelVersionDeployed(
    string Model,
    int Version,
    string Endpoint,
    string Deployment,
    string? PreviousModel,
    int? PreviousVersion,
    bool Rollback,
    DateTimeOffset DeployedAt);

/// <summary>A deployment stopped serving this version: another model replaced it (<paramref name="ReplacedBy"/> as <c>model@version</c>) or the deployment was removed (null).</summary>
public sealed record ModelVersionUndeployed(
    string Model,
    int Version,
    string Endpoint,
    string Deployment,
    string? ReplacedBy,
    bool Rollback,
    DateTimeOffset UndeployedAt);

/// <summary>The share of an endpoint's traffic going to the deployment that serves this version changed.</summary>
public sealed record ModelVersionTrafficChanged(
    string Model,
    int Version,
    string Endpoint,
    string Deployment,
    int? PreviousPercent,
    int Percent,
    bool Rollback,
    DateTimeOffset ChangedAt);
