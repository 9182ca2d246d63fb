using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MlPlatform.Hosting.Grpc;

namespace MlPlatform.Tracking.Search;

/// <summary>
/// A SearchRuns page token: where the page ended, plus a fingerprint of the query it belongs to,
/// so a token used with another filter or order is refused rather than silently misread.
/// </summary>
internal sealed record SearchPageToken(string Query, IReadOnlyList<string?> Values, long RunNo)
{
    public string Encode() => Paging.Token(JsonSerializer.Serialize(this));

    public static SearchCursor? Decode(string pageToken, string query)
    {
        if (Paging.After(pageToken) is not { } json)
        {
            return null;
        }

        SearchPageToken? token;
        try
        {
            token = JsonSerializer.Deserialize<SearchPageToken>(json);
        }
        catch (JsonException)
        {
            token = null;
        }

        if (token?.Values is null || token.Query != query)
        {
            throw Errors.InvalidArgument("page_token belongs to another search; pass the next_page_token of the previous response with the same experiments, filter, order_by and include_deleted.");
        }

        return new SearchCursor(token.Values, token.RunNo);
    }

    /// <summary>A short hash of everything that shapes the result list.</summary>
    public static string Fingerprint(IEnumerable<string> experimentIds, string filter, string orderBy, bool includeDeleted)
    {
        var text = string.Join('\n', [string.Join(',', experimentIds.Order(StringComparer.Ordinal)), filter, orderBy, includeDeleted ? "1" : "0"]);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0, 8);
    }
}
