using Npgsql;

namespace MlPlatform.Tracking.Search;

/// <summary>Positional parameters ($1, $2, …) collected while SQL is generated: user text never becomes SQL.</summary>
internal sealed class SqlParameters
{
    public List<NpgsqlParameter> Values { get; } = [];

    /// <summary>Adds a typed parameter and returns its placeholder.</summary>
    public string Add<T>(T value)
    {
        Values.Add(new NpgsqlParameter<T> { TypedValue = value });
        return $"${Values.Count}";
    }
}
