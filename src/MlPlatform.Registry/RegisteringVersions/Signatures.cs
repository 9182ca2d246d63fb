using System.Collections.Frozen;
using System.Text.Json;
using MlPlatform.Registry.ModelCatalog;
using RegistryApi = MlPlatform.Api.Registry.V1;

namespace MlPlatform.Registry.RegisteringVersions;

/// <summary>
/// Model signatures: given by the caller, or read from <c>signature.json</c> next to the model
/// in the run (the format is documented on <c>SignatureColumn</c> in registry.proto).
/// </summary>
internal static class Signatures
{
    public const string FileName = "signature.json";
    public const long MaxFileBytes = 1024 * 1024;

    private static readonly FrozenSet<string> s_types =
        FrozenSet.Create(StringComparer.Ordinal, "bool", "int32", "int64", "float", "double", "string", "timestamp", "bytes");

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web)
    {
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>Where the signature of a model at <paramref name="modelPath"/> is looked for: the same folder.</summary>
    public static string PathNextTo(string modelPath) =>
        modelPath.LastIndexOf('/') is var slash and >= 0 ? modelPath[..(slash + 1)] + FileName : FileName;

    /// <summary>The problem with a signature, or null when it is valid.</summary>
    public static string? Problem(Signature signature) =>
        Problem(signature.Inputs, "inputs") ?? Problem(signature.Outputs, "outputs");

    public static Signature FromApi(RegistryApi.ModelSignature signature) => new(
        [.. signature.Inputs.Select(c => new SignatureColumn(c.Name, c.Type, c.Nullable, c.Size))],
        [.. signature.Outputs.Select(c => new SignatureColumn(c.Name, c.Type, c.Nullable, c.Size))]);

    /// <summary>Parses a signature file; the error says what is wrong with it.</summary>
    public static Signature Parse(ReadOnlySpan<byte> utf8Json)
    {
        SignatureFile? file;
        try
        {
            file = JsonSerializer.Deserialize<SignatureFile>(utf8Json, s_json);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"it is not valid JSON ({ex.Message})", ex);
        }

        if (file is null)
        {
            throw new FormatException("it is empty (null)");
        }

        var signature = new Signature(Columns(file.Inputs), Columns(file.Outputs));
        return Problem(signature) is { } problem ? throw new FormatException(problem) : signature;
    }

    private static SignatureColumn[] Columns(IReadOnlyList<SignatureFileColumn?>? columns) =>
        [.. (columns ?? []).Select(c => new SignatureColumn(c?.Name ?? "", c?.Type ?? "", c?.Nullable ?? false, c?.Size ?? 0))];

    private static string? Problem(IReadOnlyList<SignatureColumn> columns, string side)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var column in columns)
        {
            if (column.Name.Length == 0)
            {
                return $"a column of the {side} has no name";
            }

            if (!names.Add(column.Name))
            {
                return $"the {side} name column '{column.Name}' twice";
            }

            if (!s_types.Contains(column.Type))
            {
                return $"column '{column.Name}' of the {side} has type '{column.Type}'; use one of {string.Join(", ", s_types.Order(StringComparer.Ordinal))}";
            }

            if (column.Size < 0)
            {
                return $"column '{column.Name}' of the {side} has size {column.Size}; use 0 for a scalar or N > 0 for a vector";
            }
        }

        return null;
    }

    private sealed record SignatureFile(IReadOnlyList<SignatureFileColumn?>? Inputs, IReadOnlyList<SignatureFileColumn?>? Outputs);

    private sealed record SignatureFileColumn(string? Name, string? Type, bool? Nullable, int? Size);
}
