namespace MlPlatform.Contracts;

/// <summary>A deployment on an endpoint now serves the given model version.</summary>
/// <param name="PreviousModel">The model the deployment served before; null for a new deployment.</param>
/// <param name="PreviousVersion">The version the deployment served before; null for a new deployment.</param>
/// <param name="Rollback">True when this returns the deployment to what it served before (a rollback).</param>
public sealed record DeploymentRolledOut(
    string Endpoint,
    string Deployment,
    string Model,
    int Version,
    DateTimeOffset RolledOutAt,
    string? PreviousModel = null,
    int? PreviousVersion = null,
    bool Rollback = false);
