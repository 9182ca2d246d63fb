using System.Text.RegularExpressions;
using MlPlatform.Hosting.Grpc;

namespace MlPlatform.Hosting.Validation;

/// <summary>
/// Names of datasets, models, experiments and endpoints: safe in URLs, file paths and queues.
/// </summary>
public static partial class ResourceName
{
    public const int MaxLength = 100;

    /// <summary>Throws InvalidArgument naming the rule the name breaks.</summary>
    public static string Validate(string name, string what)
    {
        if (name.Length == 0)
        {
            throw Errors.InvalidArgument($"{what} name is required.");
        }

        if (name.Length > MaxLength)
        {
            throw Errors.InvalidArgument($"{what} name is {name.Length} characters long; the limit is {MaxLength}.");
        }

        if (!Allowed().IsMatch(name) || name is "." or "..")
        {
            throw Errors.InvalidArgument(
                $"{what} name '{name}' is invalid: use lowercase letters, digits, '-', '_' and '.' only.");
        }

        return name;
    }

    [GeneratedRegex("^[a-z0-9._-]+$")]
    private static partial Regex Allowed();
}
