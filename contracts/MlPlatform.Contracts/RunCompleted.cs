namespace MlPlatform.Contracts;

/// <summary>A tracking run ended.</summary>
/// <param name="Status"><c>FINISHED</c>, <c>FAILED</c> or <c>KILLED</c>.</param>
/// <param name="FinalMetrics">The latest value of every metric key.</param>
public sealed record RunCompleted(
    string RunId,
    string ExperimentId,
    string Status,
    IReadOnlyDictionary<string, double> FinalMetrics,
    DateTimeOffset EndedAt);
