using System.Linq.Expressions;
using Marten;

namespace MlPlatform.Hosting.Grpc;

/// <summary>One page of a keyset-paged listing.</summary>
/// <param name="NextPageToken">Empty on the last page.</param>
public sealed record Page<T>(IReadOnlyList<T> Items, string NextPageToken);

public static class PageQueryExtensions
{
    /// <summary>
    /// Reads the page of <paramref name="query"/> that follows <paramref name="pageToken"/>,
    /// ordered by <paramref name="key"/>, with the token for the page after it.
    /// </summary>
    public static async Task<Page<T>> ToPageAsync<T>(
        this IQueryable<T> query, Expression<Func<T, string>> key, string pageToken, int pageSize, CancellationToken cancellationToken)
        where T : notnull
    {
        var size = Paging.PageSize(pageSize);
        if (Paging.After(pageToken) is { } after)
        {
            query = query.Where(KeyAfter(key, after));
        }

        // One row more than the page tells whether another page follows.
        var rows = await query.OrderBy(key).Take(size + 1).ToListAsync(cancellationToken);
        var items = rows.Take(size).ToList();
        var next = rows.Count > size ? Paging.Token(key.Compile()(items[^1])) : string.Empty;
        return new Page<T>(items, next);
    }

    // key(x).CompareTo(after) > 0, which Marten translates to SQL.
    private static Expression<Func<T, bool>> KeyAfter<T>(Expression<Func<T, string>> key, string after) =>
        Expression.Lambda<Func<T, bool>>(
            Expression.GreaterThan(
                Expression.Call(key.Body, nameof(string.CompareTo), null, Expression.Constant(after)),
                Expression.Constant(0)),
            key.Parameters);
}
