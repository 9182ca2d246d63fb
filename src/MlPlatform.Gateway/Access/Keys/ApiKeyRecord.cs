namespace MlPlatform.Gateway.Access.Keys;

/// <summary>An API key, folded from its stream (the stream id is the key id).</summary>
public sealed record ApiKeyRecord(
    string Id,
    string Name,
    string Role,
    string SecretSha256,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt,
    string CreatedById,
    string CreatedByName)
{
    public static ApiKeyRecord Create(ApiKeyCreated created) => new(
        created.KeyId, created.Name, created.Role, created.SecretSha256, created.CreatedAt, created.ExpiresAt,
        RevokedAt: null, created.CreatedById, created.CreatedByName);

    public ApiKeyRecord Apply(ApiKeyRevoked revoked) => this with { RevokedAt = revoked.RevokedAt };

    public bool IsUsableAt(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || now < ExpiresAt);
}
