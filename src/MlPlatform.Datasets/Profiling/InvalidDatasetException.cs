namespace MlPlatform.Datasets.Profiling;

/// <summary>The uploaded bytes are not a valid dataset; the message says what and where, for a person to fix.</summary>
public sealed class InvalidDatasetException(string message) : Exception(message);
