using System.Globalization;
using MlPlatform.Hosting.Grpc;

namespace MlPlatform.Registry.ModelCatalog;

internal static class PageTokens
{
    public static string FromNumber(long number) => Paging.Token(number.ToString(CultureInfo.InvariantCulture));

    /// <summary>Page tokens of versions and history events hold a number; null for the first page.</summary>
    public static long? ParseNumber(string pageToken) =>
        Paging.After(pageToken) is not { } token ? null
        : long.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number
        : throw Errors.InvalidArgument("page_token is not one this service issued; pass the next_page_token of the previous response.");
}
