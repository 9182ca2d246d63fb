namespace MlPlatform.Benchmarks.Harness;

/// <summary>
/// One measured quantity over N runs. Throughput figures name the ceilings they are compared
/// with — other figures of the same report, measured in the same run — and the ratio is taken
/// of the medians.
/// </summary>
/// <param name="Id">Short, stable key (used by other figures' <paramref name="Ceilings"/> and in the JSON).</param>
/// <param name="Goal">The ratio to the first ceiling that counts as good, e.g. 0.6.</param>
internal sealed record Figure(
    string Id,
    string Name,
    string Unit,
    IReadOnlyList<double> Samples,
    IReadOnlyList<string> Ceilings,
    double? Goal)
{
    public double Median => Statistics.Median(Samples);

    public double Min => Samples.Count == 0 ? double.NaN : Samples.Min();

    public double Max => Samples.Count == 0 ? double.NaN : Samples.Max();
}

/// <summary>A free-form table: per-process CPU, memory by file size, and the like.</summary>
internal sealed record Table(string Title, IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows);

/// <summary>What a scenario hands back: figures, extra tables, and notes for the reader.</summary>
internal sealed class Report
{
    private readonly List<Figure> _figures = [];
    private readonly List<Table> _tables = [];
    private readonly List<string> _notes = [];

    public IReadOnlyList<Figure> Figures => _figures;

    public IReadOnlyList<Table> Tables => _tables;

    public IReadOnlyList<string> Notes => _notes;

    /// <summary>Settings of the run worth recording beside the figures (file size, chunk sizes…).</summary>
    public Dictionary<string, string> Settings { get; } = new(StringComparer.Ordinal);

    public Figure Add(string id, string name, string unit, IEnumerable<double> samples, IReadOnlyList<string>? ceilings = null, double? goal = null)
    {
        if (_figures.Any(f => f.Id == id))
        {
            throw new InvalidOperationException($"Figure '{id}' is reported twice.");
        }

        var figure = new Figure(id, name, unit, [.. samples], ceilings ?? [], goal);
        _figures.Add(figure);
        return figure;
    }

    public void AddTable(Table table) => _tables.Add(table);

    public void Note(string note) => _notes.Add(note);

    public Figure? Find(string id) => _figures.FirstOrDefault(f => f.Id == id);

    /// <summary>The figure's median over its ceiling's median, or NaN when either is missing.</summary>
    public double Ratio(Figure figure, string ceilingId) =>
        Find(ceilingId) is { } ceiling && ceiling.Median > 0 ? figure.Median / ceiling.Median : double.NaN;
}

internal static class Statistics
{
    public static double Median(IReadOnlyList<double> samples)
    {
        if (samples.Count == 0)
        {
            return double.NaN;
        }

        var sorted = samples.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>The value below which <paramref name="fraction"/> of the sorted samples lie (nearest rank).</summary>
    public static double Percentile(ReadOnlySpan<long> sorted, double fraction) =>
        sorted.IsEmpty ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];
}
