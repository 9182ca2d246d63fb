using Marten;
using MlPlatform.Hosting.Grpc;
using MlPlatform.Registry.ModelCatalog;

namespace MlPlatform.Registry.Aliases;

internal static class AliasResolver
{
    /// <summary>The version an alias names (<c>latest</c> and <c>v&lt;N&gt;</c> included), or NotFound saying what exists.</summary>
    public static async Task<ModelVersion> ResolveAsync(IQuerySession session, string modelName, string alias, CancellationToken cancellationToken)
    {
        var model = await Catalog.FindModelAsync(session, modelName, cancellationToken);
        var number = await TryResolveAsync(session, model, alias, cancellationToken);
        if (number is { } found)
        {
            return await Catalog.FindVersionAsync(session, model, found, cancellationToken);
        }

        if (alias == AliasNames.Latest)
        {
            throw model.LatestVersion == 0
                ? Errors.NotFound($"Model '{model.Id}' has no versions yet; register one first.")
                : Errors.NotFound($"Every version of model '{model.Id}' is deprecated; ask for one by number (1 to {model.LatestVersion}).");
        }

        var existing = model.Aliases.Count == 0 ? "it has none" : $"its aliases are {string.Join(", ", model.Aliases.Keys.Order(StringComparer.Ordinal))}";
        throw Errors.NotFound($"Model '{model.Id}' has no alias '{alias}'; {existing}.");
    }

    /// <summary>The version number an alias names, or null when it names none.</summary>
    public static async Task<int?> TryResolveAsync(IQuerySession session, RegisteredModel model, string alias, CancellationToken cancellationToken)
    {
        AliasNames.ValidateSyntax(alias);
        if (alias == AliasNames.Latest)
        {
            return (await Catalog.FindLatestActiveAsync(session, model, cancellationToken))?.Number;
        }

        if (AliasNames.VersionNumber(alias) is { } number)
        {
            return number;
        }

        return model.Aliases.TryGetValue(alias, out var version) ? version : null;
    }
}
