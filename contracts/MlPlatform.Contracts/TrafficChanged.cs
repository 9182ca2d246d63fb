namespace MlPlatform.Contracts;

/// <summary>An endpoint's traffic split changed; weights are percentages summing to 100.</summary>
public sealed record TrafficChanged(
    string Endpoint,
    IReadOnlyDictionary<string, int> Weights,
    IReadOnlyDictionary<string, int> PreviousWeights,
    DateTimeOffset ChangedAt);
