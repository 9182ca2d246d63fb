using System.Reflection;

namespace MlPlatform.Benchmarks.Harness;

/// <summary>Where things are in the repository this benchmark was built from.</summary>
internal sealed class RepositoryLayout
{
    private const string SolutionFile = "MlPlatform.sln";

    private RepositoryLayout(string root, string configuration, string buildRoot)
    {
        Root = root;
        Configuration = configuration;
        BuildRoot = buildRoot;
    }

    public string Root { get; }

    /// <summary>The checkout whose builds are started (<c>--build-root</c>); this repository unless told otherwise, e.g. to compare with a baseline.</summary>
    public string BuildRoot { get; }

    /// <summary>The build configuration of this benchmark, and so of the processes it starts (Release for real figures).</summary>
    public string Configuration { get; }

    public string DefaultResultsDirectory => Path.Combine(Root, "tests", "MlPlatform.Benchmarks", "results");

    public static RepositoryLayout Find()
    {
        var configuration = typeof(RepositoryLayout).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "Configuration")?.Value ?? "Release";
        foreach (var start in (string[])[AppContext.BaseDirectory, Directory.GetCurrentDirectory()])
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, SolutionFile)))
                {
                    return new RepositoryLayout(directory.FullName, configuration, directory.FullName);
                }
            }
        }

        throw new InvalidOperationException($"No {SolutionFile} above {AppContext.BaseDirectory}: run the benchmarks from the repository.");
    }

    /// <summary>The same layout, starting the processes built in another checkout of the repository.</summary>
    public RepositoryLayout WithBuildRoot(string buildRoot) =>
        File.Exists(Path.Combine(buildRoot, SolutionFile))
            ? new RepositoryLayout(Root, Configuration, Path.GetFullPath(buildRoot))
            : throw new InvalidOperationException($"--build-root {buildRoot} is not a checkout of the repository (no {SolutionFile}).");

    /// <summary>A service's or the gateway's built assembly, e.g. <c>src/MlPlatform.Datasets/bin/Release/net10.0/MlPlatform.Datasets.dll</c>.</summary>
    public string ProjectAssembly(string project)
    {
        var directory = Path.Combine(BuildRoot, "src", project, "bin", Configuration, "net10.0");
        var assembly = Path.Combine(directory, project + ".dll");
        return File.Exists(assembly)
            ? assembly
            : throw new InvalidOperationException(
                $"{assembly} is missing: build it with `dotnet build -c {Configuration} {Path.Combine(BuildRoot, "src", project)}` " +
                $"(`dotnet run -c {Configuration} --project tests/MlPlatform.Benchmarks` builds it too).");
    }
}
