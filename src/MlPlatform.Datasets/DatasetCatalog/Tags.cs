using MlPlatform.Hosting.Grpc;

namespace MlPlatform.Datasets.DatasetCatalog;

internal static class Tags
{
    /// <summary>Keys must be usable in a <c>key=value</c> filter.</summary>
    public static IReadOnlyDictionary<string, string> Validate(IDictionary<string, string> tags)
    {
        foreach (var key in tags.Keys)
        {
            if (key.Length == 0 || key.Contains('=', StringComparison.Ordinal))
            {
                throw Errors.InvalidArgument($"Tag key '{key}' is invalid: a key must not be empty or contain '='.");
            }
        }

        return tags.ToDictionary(StringComparer.Ordinal);
    }
}
