using System.Security.Claims;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Marten;
using MlPlatform.Api.Access.V1;
using MlPlatform.Gateway.Access.Keys;
using MlPlatform.Gateway.Security;
using MlPlatform.Hosting.Grpc;
using MlPlatform.Hosting.Validation;
using ApiKey = MlPlatform.Api.Access.V1.ApiKey;

namespace MlPlatform.Gateway.Access;

/// <summary>
/// Identity and API keys, answered by the gateway itself. Who may call what is decided before a
/// call gets here (<see cref="RpcPermissions"/>: keys are admin-only, WhoAmI is for any key).
/// </summary>
public sealed class AccessService(ISessionFactory sessions, ApiKeyStore keys, TimeProvider time) : MlPlatform.Api.Access.V1.Access.AccessBase
{
    public override async Task<CreateApiKeyResponse> CreateApiKey(CreateApiKeyRequest request, ServerCallContext context)
    {
        var name = ResourceName.Validate(request.Name, "API key");
        if (RoleNames.Parse(request.Role) == Roles.None)
        {
            throw Errors.InvalidArgument($"role '{request.Role}' is not one of: {string.Join(", ", RoleNames.All)}.");
        }

        var now = time.GetUtcNow();
        DateTimeOffset? expiresAt = request.ExpiresAt?.ToDateTimeOffset();
        if (expiresAt <= now)
        {
            throw Errors.InvalidArgument("expires_at must be in the future (or unset for a key that does not expire).");
        }

        var creator = context.GetHttpContext().User;
        var (keyId, secret, apiKey) = ApiKeyFormat.Generate();
        var created = new ApiKeyCreated(
            keyId, name, request.Role, ApiKeyFormat.Hash(secret), now, expiresAt,
            creator.FindFirstValue(ClaimTypes.NameIdentifier) ?? "", creator.Identity?.Name ?? "");
        await using var session = sessions.OpenSession();
        session.Events.StartStream<ApiKeyRecord>(keyId, created);
        await session.SaveChangesAsync(context.CancellationToken);
        return new CreateApiKeyResponse { Key = ToMessage(ApiKeyRecord.Create(created)), ApiKey = apiKey };
    }

    public override async Task<ListApiKeysResponse> ListApiKeys(ListApiKeysRequest request, ServerCallContext context)
    {
        var pageSize = Paging.PageSize(request.PageSize);
        var after = Paging.After(request.PageToken) ?? "";
        await using var session = sessions.QuerySession();
        var query = session.Query<ApiKeyRecord>().Where(k => k.Id.CompareTo(after) > 0);
        if (!request.IncludeRevoked)
        {
            query = query.Where(k => k.RevokedAt == null);
        }

        var page = await query.OrderBy(k => k.Id).Take(pageSize + 1).ToListAsync(context.CancellationToken);
        var response = new ListApiKeysResponse();
        response.Keys.AddRange(page.Take(pageSize).Select(ToMessage));
        if (page.Count > pageSize)
        {
            response.NextPageToken = Paging.Token(page[pageSize - 1].Id);
        }

        return response;
    }

    public override async Task<ApiKey> RevokeApiKey(RevokeApiKeyRequest request, ServerCallContext context)
    {
        if (!ApiKeyFormat.IsKeyId(request.KeyId))
        {
            throw Errors.InvalidArgument("key_id must be the 16 hex digits after 'mlp_' in the key.");
        }

        await using var session = sessions.OpenSession();
        var stream = await session.Events.FetchForWriting<ApiKeyRecord>(request.KeyId, context.CancellationToken);
        if (stream.Aggregate is not { } key)
        {
            throw Errors.NotFound($"API key '{request.KeyId}' does not exist.");
        }

        // Revoking twice changes nothing: the first revocation stands.
        if (key.RevokedAt is null)
        {
            var revoked = new ApiKeyRevoked(key.Id, time.GetUtcNow());
            stream.AppendOne(revoked);
            await session.SaveChangesAsync(context.CancellationToken);
            key = key.Apply(revoked);
        }

        keys.Invalidate(key.Id);
        return ToMessage(key);
    }

    public override Task<WhoAmIResponse> WhoAmI(WhoAmIRequest request, ServerCallContext context)
    {
        var user = context.GetHttpContext().User;
        return Task.FromResult(new WhoAmIResponse
        {
            KeyId = user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "",
            Name = user.Identity?.Name ?? "",
            Role = user.FindFirstValue(ClaimTypes.Role) ?? "",
        });
    }

    private static ApiKey ToMessage(ApiKeyRecord key)
    {
        var message = new ApiKey
        {
            KeyId = key.Id,
            Name = key.Name,
            Role = key.Role,
            CreatedAt = Timestamp.FromDateTimeOffset(key.CreatedAt),
            CreatedBy = new Api.Common.V1.Actor { KeyId = key.CreatedById, Name = key.CreatedByName },
        };
        if (key.ExpiresAt is { } expires)
        {
            message.ExpiresAt = Timestamp.FromDateTimeOffset(expires);
        }

        if (key.RevokedAt is { } revoked)
        {
            message.RevokedAt = Timestamp.FromDateTimeOffset(revoked);
        }

        return message;
    }
}
