namespace MlPlatform.Tracking.Artifacts;

/// <summary>An artifact stored in the blob store under its SHA-256; uploading the same path again replaces it.</summary>
public sealed record ArtifactUploaded(string Path, string Sha256, long SizeBytes, DateTimeOffset UploadedAt);
