namespace MlPlatform.Contracts;

/// <summary>A deployment on an endpoint now serves the given model version.</summary>
public sealed record DeploymentRolledOut(
    string Endpoint,
    string Deployment,
    string Model,
    int Version,
    DateTimeOffset RolledOutAt);
