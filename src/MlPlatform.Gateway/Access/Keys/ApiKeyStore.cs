using System.Collections.Concurrent;
using Marten;
using Microsoft.Extensions.Options;
using MlPlatform.Gateway.Security;

namespace MlPlatform.Gateway.Access.Keys;

/// <summary>
/// Keys by id, cached in memory so a call costs no database round trip: an entry (found or not)
/// is trusted for <see cref="GatewaySecurityOptions.KeyCacheDuration"/>. A revocation through this
/// gateway drops its entry at once; other replicas see it when their entry ages out.
/// </summary>
public sealed class ApiKeyStore(IDocumentStore store, IOptions<GatewaySecurityOptions> options, TimeProvider time)
{
    private const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly long _ttl = (long)(options.Value.KeyCacheDuration.TotalSeconds * time.TimestampFrequency);

    public async ValueTask<ApiKeyRecord?> FindAsync(string keyId, CancellationToken cancellationToken)
    {
        var now = time.GetTimestamp();
        if (_entries.TryGetValue(keyId, out var entry) && now - entry.LoadedAt < _ttl)
        {
            return entry.Key;
        }

        await using var session = store.QuerySession();
        var key = await session.LoadAsync<ApiKeyRecord>(keyId, cancellationToken);
        if (_entries.Count >= MaxEntries)
        {
            // Unknown ids are cached too (so guessing costs no database calls); bound what that can hold.
            _entries.Clear();
        }

        _entries[keyId] = new Entry(key, now);
        return key;
    }

    public void Invalidate(string keyId) => _entries.TryRemove(keyId, out _);

    private sealed record Entry(ApiKeyRecord? Key, long LoadedAt);
}
