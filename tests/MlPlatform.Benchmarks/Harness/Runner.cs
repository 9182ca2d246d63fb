using System.Runtime.InteropServices;

namespace MlPlatform.Benchmarks.Harness;

/// <summary>Picks the scenario, runs it, prints its report and writes it to the results folder.</summary>
internal static class Runner
{
    public const string GatewayEnvironmentOption = "gateway-env";
    public const string ServiceEnvironmentOption = "service-env";

    public static readonly IReadOnlyList<OptionSpec> CommonOptions =
    [
        new("runs", "How many times each figure is measured; the median is reported (≥ 3 for figures you quote).", "3"),
        new("out", "Folder for the JSON and Markdown result files.", "tests/MlPlatform.Benchmarks/results"),
        new("label", "A word added to the result file names and the report, e.g. auth-on."),
        new(GatewayEnvironmentOption, "KEY=VALUE set on every gateway process (repeatable), e.g. to switch a gateway feature off.", Repeatable: true),
        new(ServiceEnvironmentOption, "KEY=VALUE set on every service process (repeatable).", Repeatable: true),
        new("build-root", "Start the services and gateways built (same configuration) in this other checkout, e.g. a worktree of the base commit, to compare."),
        new("keep-work", "Keep the scratch folder (process logs, blob store) instead of deleting it.", IsFlag: true),
        new("help", "Show the scenario's options.", IsFlag: true),
    ];

    public static async Task<int> RunAsync(string[] args, IReadOnlyList<IScenario> scenarios)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help" or "list")
        {
            PrintUsage(scenarios);
            return args.Length == 0 ? 1 : 0;
        }

        var scenario = scenarios.FirstOrDefault(s => s.Name == args[0]);
        if (scenario is null)
        {
            await Console.Error.WriteLineAsync($"Unknown scenario '{args[0]}'.");
            PrintUsage(scenarios);
            return 1;
        }

        Options options;
        try
        {
            options = Options.Parse(args[1..], [.. CommonOptions, .. scenario.Options]);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }

        if (options.Flag("help"))
        {
            PrintScenarioHelp(scenario);
            return 0;
        }

        using var cancellation = new CancellationTokenSource();
        // First Ctrl+C or SIGTERM: stop measuring and tear the stack down; a second one ends the
        // process at once (the watchdog and TestSupport's reaper clean up).
        void Stop(PosixSignalContext signal)
        {
            if (!cancellation.IsCancellationRequested)
            {
                signal.Cancel = true;
                Console.WriteLine($"{signal.Signal}: tearing the stack down (again to abort at once)…");
                cancellation.Cancel();
            }
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

        var repository = RepositoryLayout.Find();
        if (options.Get("build-root") is { } buildRoot)
        {
            repository = repository.WithBuildRoot(buildRoot);
        }

        var runs = options.Int("runs", 3);
        if (runs < 1)
        {
            await Console.Error.WriteLineAsync("--runs must be at least 1.");
            return 1;
        }

        var work = Directory.CreateTempSubdirectory("mlp-bench-").FullName;
        var context = new ScenarioContext(options, repository, runs, work);
        var started = DateTimeOffset.Now;
        var loadAtStart = Machine.LoadAverage();
        context.Log($"Scenario {scenario.Name}: {runs} run(s) per figure, {Machine.Cores} cores, load average {loadAtStart}, work folder {work}");
        if (repository.Configuration != "Release")
        {
            context.Log($"WARNING: built in {repository.Configuration}; figures only mean something with -c Release.");
        }

        var succeeded = false;
        try
        {
            var report = await scenario.RunAsync(context, cancellation.Token);
            var run = new RunInfo(
                scenario.Name,
                options.Get("label"),
                started,
                DateTimeOffset.Now,
                repository.Configuration,
                runs,
                Machine.Cores,
                Machine.CpuModel(),
                Machine.Runtime,
                repository.BuildRoot == repository.Root
                    ? Machine.GitRevision(repository.Root)
                    : $"{Machine.GitRevision(repository.BuildRoot)} (processes built in {repository.BuildRoot})",
                loadAtStart,
                Machine.LoadAverage(),
                context.LoadSamples.Count == 0 ? double.NaN : context.LoadSamples.Min(),
                context.LoadSamples.Count == 0 ? double.NaN : context.LoadSamples.Max(),
                options.AsGiven());
            var outDirectory = options.Get("out") is { } outOption ? Path.GetFullPath(outOption) : repository.DefaultResultsDirectory;
            var files = ReportWriter.Write(run, report, outDirectory);
            Console.WriteLine();
            Console.WriteLine(ReportWriter.ToText(run, report));
            Console.WriteLine($"Results: {string.Join(", ", files)}");
            succeeded = true;
            return 0;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("Cancelled.");
            return 130;
        }
        finally
        {
            if (succeeded && !options.Flag("keep-work"))
            {
                DeleteQuietly(work);
            }
            else
            {
                Console.WriteLine($"Process logs and blobs kept in {work}");
            }
        }
    }

    private static void DeleteQuietly(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException e)
        {
            Console.WriteLine($"Could not delete {directory}: {e.Message}");
        }
    }

    private static void PrintUsage(IReadOnlyList<IScenario> scenarios)
    {
        Console.WriteLine("Usage: dotnet run -c Release --project tests/MlPlatform.Benchmarks -- <scenario> [options]");
        Console.WriteLine();
        Console.WriteLine("Scenarios:");
        foreach (var scenario in scenarios)
        {
            Console.WriteLine($"  {scenario.Name,-12} {scenario.Summary}");
        }

        Console.WriteLine();
        Console.WriteLine("Options of a scenario: <scenario> --help");
    }

    private static void PrintScenarioHelp(IScenario scenario)
    {
        Console.WriteLine($"{scenario.Name}: {scenario.Summary}");
        foreach (var (title, specs) in new[] { ("Scenario options", scenario.Options), ("Common options", CommonOptions) })
        {
            Console.WriteLine();
            Console.WriteLine(title + ":");
            foreach (var spec in specs)
            {
                var name = spec.IsFlag ? $"--{spec.Name}" : $"--{spec.Name} <value>";
                var fallback = spec.Default is null ? "" : $" (default {spec.Default})";
                Console.WriteLine($"  {name,-28} {spec.Help}{fallback}");
            }
        }
    }
}

/// <summary>Where and when the figures were measured: they mean little without it.</summary>
internal sealed record RunInfo(
    string Scenario,
    string? Label,
    DateTimeOffset Started,
    DateTimeOffset Finished,
    string Configuration,
    int Runs,
    int Cores,
    string CpuModel,
    string Runtime,
    string Revision,
    LoadAverage LoadAtStart,
    LoadAverage LoadAtEnd,
    double LoadMin,
    double LoadMax,
    IReadOnlyDictionary<string, string> Options);
