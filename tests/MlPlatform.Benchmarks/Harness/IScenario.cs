namespace MlPlatform.Benchmarks.Harness;

/// <summary>
/// One benchmark. To add one: implement this in <c>Scenarios/</c>, list it in <c>Program.cs</c>,
/// start what it needs with <see cref="Stack"/>, and report every throughput next to a ceiling
/// measured in the same run (<see cref="Report.Add"/> with <c>ceilings</c>).
/// </summary>
internal interface IScenario
{
    /// <summary>The command-line name, e.g. <c>upload</c>.</summary>
    string Name { get; }

    /// <summary>One line for the scenario list.</summary>
    string Summary { get; }

    /// <summary>The options it reads besides the common ones (<see cref="Runner.CommonOptions"/>).</summary>
    IReadOnlyList<OptionSpec> Options { get; }

    Task<Report> RunAsync(ScenarioContext context, CancellationToken cancellationToken);
}

/// <summary>What a scenario runs with.</summary>
internal sealed class ScenarioContext(Options options, RepositoryLayout repository, int runs, string workDirectory)
{
    public Options Options { get; } = options;

    public RepositoryLayout Repository { get; } = repository;

    /// <summary>How many times each figure is measured (its median is reported).</summary>
    public int Runs { get; } = runs;

    /// <summary>A scratch directory of this benchmark run (process logs, blob store), deleted afterwards unless --keep-logs.</summary>
    public string WorkDirectory { get; } = workDirectory;

    /// <summary>Load averages seen at each <see cref="Log"/>: the machine is shared, so the report shows them.</summary>
    public List<double> LoadSamples { get; } = [];

    /// <summary>Progress for the person watching; each line carries the clock and the 1-minute load average.</summary>
    public void Log(string message)
    {
        var load = Machine.LoadAverage();
        LoadSamples.Add(load.OneMinute);
        Console.WriteLine($"[{DateTime.Now:HH:mm:ss} load {load.OneMinute:0.00}] {message}");
    }
}
