using System.Globalization;
using System.Text.RegularExpressions;
using MlPlatform.Hosting.Grpc;

namespace MlPlatform.Registry.Aliases;

/// <summary>Alias names such as <c>champion</c>; <c>latest</c> and <c>v&lt;N&gt;</c> are reserved for what they say.</summary>
internal static partial class AliasNames
{
    public const string Latest = "latest";
    public const int MaxLength = 63;

    /// <summary>Throws InvalidArgument naming the rule the alias breaks, reserved names included.</summary>
    public static string ValidateSettable(string alias)
    {
        ValidateSyntax(alias);
        if (alias == Latest)
        {
            throw Errors.InvalidArgument($"Alias '{Latest}' is reserved: it always means the newest version that is not deprecated.");
        }

        if (VersionNumber(alias) is not null)
        {
            throw Errors.InvalidArgument($"Alias '{alias}' is reserved: 'v<N>' always means version N.");
        }

        return alias;
    }

    public static string ValidateSyntax(string alias)
    {
        if (alias.Length == 0)
        {
            throw Errors.InvalidArgument("Alias is required, e.g. 'champion'.");
        }

        if (alias.Length > MaxLength || !Allowed().IsMatch(alias))
        {
            throw Errors.InvalidArgument(
                $"Alias '{alias}' is invalid: use 1 to {MaxLength} lowercase letters, digits, '-' and '_', starting with a letter.");
        }

        return alias;
    }

    /// <summary>N for a reserved <c>v&lt;N&gt;</c> name, else null.</summary>
    public static int? VersionNumber(string alias) =>
        alias.Length > 1 && alias[0] == 'v'
        && int.TryParse(alias.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : null;

    [GeneratedRegex("^[a-z][a-z0-9_-]*$")]
    private static partial Regex Allowed();
}
