using Marten.Linq.MatchesSql;
using MlPlatform.Hosting.Grpc;

namespace MlPlatform.Registry.ModelCatalog;

internal static class Tags
{
    public const int MaxKeyLength = 250;
    public const int MaxValueLength = 5000;

    /// <summary>Keys must be usable in a <c>key=value</c> filter.</summary>
    public static IReadOnlyDictionary<string, string> Validate(IDictionary<string, string> tags)
    {
        foreach (var (key, value) in tags)
        {
            Validate(key, value);
        }

        return tags.ToDictionary(StringComparer.Ordinal);
    }

    public static string ValidateKey(string key)
    {
        if (key.Length == 0 || key.Length > MaxKeyLength || key.Contains('=', StringComparison.Ordinal))
        {
            throw Errors.InvalidArgument($"Tag key '{key}' is invalid: a key is 1 to {MaxKeyLength} characters and has no '='.");
        }

        return key;
    }

    public static void Validate(string key, string value)
    {
        ValidateKey(key);
        if (value.Length > MaxValueLength)
        {
            throw Errors.InvalidArgument($"The value of tag '{key}' is {value.Length} characters long; the limit is {MaxValueLength}.");
        }
    }

    /// <summary>A <c>key</c> or <c>key=value</c> filter over a document's <c>Tags</c>.</summary>
    public static IQueryable<T> WhereTag<T>(this IQueryable<T> query, string filter) where T : notnull
    {
        if (filter.Length == 0)
        {
            return query;
        }

        var (key, value) = filter.Split('=', 2) is [var k, var v] ? (k, v) : (filter, null);
        // Marten's LINQ does not reach into dictionaries; these are the jsonb equivalents.
        return value is null
            ? query.Where(d => d.MatchesSql("jsonb_exists(d.data -> 'Tags', ?)", key))
            : query.Where(d => d.MatchesSql("d.data -> 'Tags' ->> ? = ?", key, value));
    }
}
