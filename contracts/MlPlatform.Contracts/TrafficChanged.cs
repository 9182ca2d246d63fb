namespace MlPlatform.Contracts;

/// <summary>An endpoint's traffic split changed; weights are percentages summing to 100.</summary>
/// <param name="Weights">Deployment name → percentage; a deployment that is absent gets no traffic (or was deleted).</param>
/// <param name="Rollback">True when the endpoint was rolled back to its previous traffic state.</param>
public sealed record TrafficChanged(
    string Endpoint,
    IReadOnlyDictionary<string, int> Weights,
    IReadOnlyDictionary<string, int> PreviousWeights,
    DateTimeOffset ChangedAt,
    bool Rollback = false);
