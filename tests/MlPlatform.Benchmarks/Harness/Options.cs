using System.Globalization;

namespace MlPlatform.Benchmarks.Harness;

/// <summary>An option a scenario understands, for validation and <c>--help</c>.</summary>
/// <param name="Default">Shown in the help; null for flags and for options without a default.</param>
internal sealed record OptionSpec(string Name, string Help, string? Default = null, bool IsFlag = false, bool Repeatable = false);

/// <summary>
/// <c>--name value</c>, <c>--name=value</c> and bare <c>--flag</c> options. Lists are comma-separated
/// (<c>--chunks 64KiB,1MiB</c>); sizes take KiB/MiB/GiB suffixes; durations s/ms.
/// </summary>
internal sealed class Options
{
    private readonly Dictionary<string, List<string>> _values;

    private Options(Dictionary<string, List<string>> values) => _values = values;

    /// <exception cref="ArgumentException">An option is unknown, repeated when it may not be, or lacks its value.</exception>
    public static Options Parse(IReadOnlyList<string> arguments, IReadOnlyList<OptionSpec> specs)
    {
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            if (!argument.StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Unexpected argument '{argument}': options start with --.");
            }

            var (name, inline) = argument.IndexOf('=', StringComparison.Ordinal) is var equals and > 0
                ? (argument[2..equals], argument[(equals + 1)..])
                : (argument[2..], null);
            var spec = specs.FirstOrDefault(s => s.Name == name)
                ?? throw new ArgumentException($"Unknown option --{name}; see --help.");
            string value;
            if (spec.IsFlag)
            {
                value = inline ?? "true";
            }
            else if (inline is not null)
            {
                value = inline;
            }
            else if (i + 1 < arguments.Count)
            {
                value = arguments[++i];
            }
            else
            {
                throw new ArgumentException($"Option --{name} needs a value.");
            }

            if (!values.TryGetValue(name, out var list))
            {
                values[name] = list = [];
            }
            else if (!spec.Repeatable)
            {
                throw new ArgumentException($"Option --{name} is given twice.");
            }

            list.Add(value);
        }

        return new Options(values);
    }

    public string? Get(string name) => _values.TryGetValue(name, out var list) ? list[^1] : null;

    public IReadOnlyList<string> GetAll(string name) => _values.TryGetValue(name, out var list) ? list : [];

    public bool Flag(string name) => Get(name) is { } value && bool.Parse(value);

    public int Int(string name, int fallback) =>
        Get(name) is { } text ? int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture) : fallback;

    public IReadOnlyList<int> Ints(string name, IReadOnlyList<int> fallback) =>
        Get(name) is { } text ? [.. Split(text).Select(part => int.Parse(part, NumberStyles.Integer, CultureInfo.InvariantCulture))] : fallback;

    public long Size(string name, long fallback) => Get(name) is { } text ? Units.ParseSize(text) : fallback;

    public IReadOnlyList<long> Sizes(string name, IReadOnlyList<long> fallback) =>
        Get(name) is { } text ? [.. Split(text).Select(Units.ParseSize)] : fallback;

    public TimeSpan Duration(string name, TimeSpan fallback) => Get(name) is { } text ? Units.ParseDuration(text) : fallback;

    /// <summary><c>KEY=VALUE</c> pairs of a repeatable option.</summary>
    public IReadOnlyDictionary<string, string> Pairs(string name)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in GetAll(name))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new ArgumentException($"--{name} '{pair}' is not KEY=VALUE.");
            }

            pairs[pair[..equals]] = pair[(equals + 1)..];
        }

        return pairs;
    }

    /// <summary>Every option as given, for the result file.</summary>
    public IReadOnlyDictionary<string, string> AsGiven() =>
        _values.ToDictionary(entry => entry.Key, entry => string.Join(" | ", entry.Value), StringComparer.Ordinal);

    private static string[] Split(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
