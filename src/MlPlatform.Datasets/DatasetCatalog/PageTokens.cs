using System.Globalization;
using MlPlatform.Hosting.Grpc;

namespace MlPlatform.Datasets.DatasetCatalog;

internal static class PageTokens
{
    /// <summary>Page tokens of versions and history events hold a number.</summary>
    public static int ParseNumber(string token) =>
        int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw Errors.InvalidArgument("page_token is not one this service issued; pass the next_page_token of the previous response.");
}
