using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace MlPlatform.Benchmarks.Harness;

/// <summary>The report as a console table, a Markdown file and a JSON file (with every sample).</summary>
internal static class ReportWriter
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private static readonly string[] s_figureHeader = ["figure", "median", "unit", "min", "max", "n", "ratio to ceiling", "goal"];

    /// <summary>Writes <c>&lt;scenario&gt;[-label]-&lt;time&gt;.json</c> and <c>.md</c>; returns their paths.</summary>
    public static IReadOnlyList<string> Write(RunInfo run, Report report, string directory)
    {
        Directory.CreateDirectory(directory);
        var stem = Path.Combine(directory, $"{run.Scenario}{(run.Label is null ? "" : "-" + run.Label)}-{run.Started:yyyyMMdd-HHmmss}");
        File.WriteAllText(stem + ".json", JsonSerializer.Serialize(ToJson(run, report), s_json));
        File.WriteAllText(stem + ".md", ToMarkdown(run, report));
        return [stem + ".md", stem + ".json"];
    }

    public static string ToText(RunInfo run, Report report)
    {
        var text = new StringBuilder();
        text.AppendLine(Heading(run));
        text.AppendLine(Environment(run));
        text.AppendLine();
        AppendAligned(text, s_figureHeader, FigureRows(report));
        foreach (var table in report.Tables)
        {
            text.AppendLine().AppendLine(table.Title);
            AppendAligned(text, table.Header, table.Rows);
        }

        if (report.Notes.Count > 0)
        {
            text.AppendLine();
            foreach (var note in report.Notes)
            {
                text.AppendLine("• " + note);
            }
        }

        return text.ToString();
    }

    public static string ToMarkdown(RunInfo run, Report report)
    {
        var text = new StringBuilder();
        text.AppendLine("# " + Heading(run)).AppendLine();
        text.AppendLine(Environment(run)).AppendLine();
        if (report.Settings.Count > 0)
        {
            text.AppendLine(string.Join(" · ", report.Settings.Select(s => $"{s.Key}: {s.Value}"))).AppendLine();
        }

        AppendMarkdownTable(text, s_figureHeader, FigureRows(report));
        foreach (var table in report.Tables)
        {
            text.AppendLine().AppendLine("## " + table.Title).AppendLine();
            AppendMarkdownTable(text, table.Header, table.Rows);
        }

        if (report.Notes.Count > 0)
        {
            text.AppendLine().AppendLine("## Notes").AppendLine();
            foreach (var note in report.Notes)
            {
                text.AppendLine("- " + note);
            }
        }

        return text.ToString();
    }

    private static string Heading(RunInfo run) =>
        $"Benchmark {run.Scenario}{(run.Label is null ? "" : $" ({run.Label})")} — {run.Started:yyyy-MM-dd HH:mm zzz}";

    private static string Environment(RunInfo run) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{run.Cores} cores ({run.CpuModel}), {run.Runtime}, {run.Configuration}, commit {run.Revision}; medians of {run.Runs} run(s); load average at start {run.LoadAtStart}, at end {run.LoadAtEnd}, 1-min range during the run {run.LoadMin:0.00}–{run.LoadMax:0.00}; took {(run.Finished - run.Started).TotalMinutes:0.0} min")
        + (run.Options.Count == 0 ? "" : "; options " + string.Join(" ", run.Options.Select(o => $"--{o.Key} {o.Value}")));

    private static List<IReadOnlyList<string>> FigureRows(Report report) =>
    [
        .. report.Figures.Select(figure => (IReadOnlyList<string>)
        [
            figure.Name,
            Units.Number(figure.Median),
            figure.Unit,
            Units.Number(figure.Min),
            Units.Number(figure.Max),
            figure.Samples.Count.ToString(CultureInfo.InvariantCulture),
            string.Join("; ", figure.Ceilings.Select(id => $"{Units.Percent(report.Ratio(figure, id))} of {report.Find(id)?.Name ?? id}")),
            Goal(report, figure),
        ]),
    ];

    private static string Goal(Report report, Figure figure)
    {
        if (figure.Goal is not { } goal || figure.Ceilings.Count == 0)
        {
            return "";
        }

        var ratio = report.Ratio(figure, figure.Ceilings[0]);
        return $"≥ {Units.Percent(goal)}: {(ratio >= goal ? "met" : "missed")}";
    }

    private static object ToJson(RunInfo run, Report report) => new
    {
        run.Scenario,
        run.Label,
        run.Started,
        run.Finished,
        Machine = new
        {
            run.Cores,
            run.CpuModel,
            run.Runtime,
            LoadAverageAtStart = run.LoadAtStart.ToString(),
            LoadAverageAtEnd = run.LoadAtEnd.ToString(),
            LoadAverageMin = run.LoadMin,
            LoadAverageMax = run.LoadMax,
        },
        run.Configuration,
        run.Revision,
        run.Runs,
        run.Options,
        report.Settings,
        Figures = report.Figures.Select(figure => new
        {
            figure.Id,
            figure.Name,
            figure.Unit,
            figure.Median,
            figure.Min,
            figure.Max,
            figure.Samples,
            Ratios = figure.Ceilings.ToDictionary(id => id, id => report.Ratio(figure, id)),
            figure.Goal,
        }),
        report.Tables,
        report.Notes,
    };

    private static void AppendAligned(StringBuilder text, IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Select(r => i < r.Count ? r[i].Length : 0).DefaultIfEmpty(0).Max())).ToArray();
        AppendRow(header);
        text.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in rows)
        {
            AppendRow(row);
        }

        void AppendRow(IReadOnlyList<string> cells) =>
            text.AppendLine(string.Join("  ", cells.Select((cell, i) => IsNumeric(cell) ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i]))).TrimEnd());
    }

    private static void AppendMarkdownTable(StringBuilder text, IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        text.AppendLine("| " + string.Join(" | ", header) + " |");
        text.AppendLine("|" + string.Concat(header.Select(_ => "---|")));
        foreach (var row in rows)
        {
            text.AppendLine("| " + string.Join(" | ", row.Select(cell => cell.Replace("|", "\\|", StringComparison.Ordinal))) + " |");
        }
    }

    private static bool IsNumeric(string cell) => cell.Length > 0 && (char.IsAsciiDigit(cell[0]) || cell[0] is '-' or '–') && !cell.Contains(' ', StringComparison.Ordinal);
}
