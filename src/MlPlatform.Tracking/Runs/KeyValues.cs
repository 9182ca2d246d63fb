using MlPlatform.Hosting.Grpc;

namespace MlPlatform.Tracking.Runs;

/// <summary>Limits of param and tag keys and values.</summary>
internal static class KeyValues
{
    public const int MaxKeyLength = 250;
    public const int MaxValueLength = 6000;

    public static IReadOnlyDictionary<string, string> Validate(IDictionary<string, string> pairs, string what)
    {
        foreach (var (key, value) in pairs)
        {
            if (key.Length == 0)
            {
                throw Errors.InvalidArgument($"A {what} key must not be empty.");
            }

            if (key.Length > MaxKeyLength)
            {
                throw Errors.InvalidArgument($"{what} key '{Shorten(key)}' is {key.Length} characters long; the limit is {MaxKeyLength}.");
            }

            if (value.Length > MaxValueLength)
            {
                throw Errors.InvalidArgument($"The value of {what} '{key}' is {value.Length} characters long; the limit is {MaxValueLength}.");
            }
        }

        return pairs.ToDictionary();
    }

    /// <summary>Long values are cut in error messages, which travel in HTTP/2 trailers.</summary>
    public static string Shorten(string value) => value.Length <= 100 ? value : $"{value[..100]}…";
}
