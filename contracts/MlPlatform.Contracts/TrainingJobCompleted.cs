namespace MlPlatform.Contracts;

/// <summary>A training job reached a final state.</summary>
/// <param name="Status"><c>SUCCEEDED</c>, <c>FAILED</c> or <c>CANCELLED</c>.</param>
public sealed record TrainingJobCompleted(
    string JobId,
    string Status,
    string? RunId,
    string? Model,
    int? ModelVersion,
    string? Error,
    DateTimeOffset CompletedAt);
