using System.Buffers.Text;
using System.Text;

namespace MlPlatform.Hosting.Grpc;

/// <summary>
/// Keyset paging: a page token is the opaque sort key of the last item returned, so pages stay
/// correct while new items arrive.
/// </summary>
public static class Paging
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1000;

    public static int PageSize(int requested) => requested switch
    {
        < 0 => throw Errors.InvalidArgument("page_size must not be negative."),
        0 => DefaultPageSize,
        _ => Math.Min(requested, MaxPageSize),
    };

    public static string Token(string lastKey) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(lastKey));

    /// <summary>The key after which the page starts, or null for the first page.</summary>
    public static string? After(string pageToken)
    {
        if (pageToken.Length == 0)
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(pageToken));
        }
        catch (FormatException)
        {
            throw Errors.InvalidArgument("page_token is not one this service issued; pass the next_page_token of the previous response.");
        }
    }
}
