namespace MlPlatform.Gateway.Access.Keys;

/// <param name="SecretSha256">SHA-256 of the secret (hex); the secret itself is never stored.</param>
public sealed record ApiKeyCreated(
    string KeyId,
    string Name,
    string Role,
    string SecretSha256,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    string CreatedById,
    string CreatedByName);

public sealed record ApiKeyRevoked(string KeyId, DateTimeOffset RevokedAt);
