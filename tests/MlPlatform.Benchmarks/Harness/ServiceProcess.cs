using System.Diagnostics;
using System.Net;

namespace MlPlatform.Benchmarks.Harness;

/// <summary>
/// A real MlPlatform process (a service or the gateway): <c>dotnet &lt;Project&gt;.dll</c> from its
/// build output, with its own appsettings.json and environment overrides, on two loopback ports —
/// <c>grpc</c> (cleartext HTTP/2) and <c>http</c> (HTTP/1.1, health) — as the AppHost runs it.
/// </summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromSeconds(15);

    // Inherited variables that would move the endpoints or switch on exporters the product run does not have here.
    private static readonly string[] s_removedVariables =
        ["ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_URLS", "OTEL_EXPORTER_OTLP_ENDPOINT"];

    private readonly Process _process;
    private int _stopped;

    private ServiceProcess(string name, Process process, int grpcPort, int httpPort, string logPath)
    {
        Name = name;
        _process = process;
        GrpcAddress = new Uri($"http://127.0.0.1:{grpcPort}");
        HttpAddress = new Uri($"http://127.0.0.1:{httpPort}");
        LogPath = logPath;
    }

    public string Name { get; }

    public int ProcessId => _process.Id;

    /// <summary>The cleartext HTTP/2 endpoint gRPC calls go to.</summary>
    public Uri GrpcAddress { get; }

    /// <summary>The HTTP/1.1 endpoint with <c>/health</c>.</summary>
    public Uri HttpAddress { get; }

    public string LogPath { get; }

    /// <summary>Peak resident set size since start or the last <see cref="ResetPeakMemory"/> (VmHWM).</summary>
    public long? PeakMemoryBytes => Machine.StatusBytes(ProcessId, "VmHWM");

    public bool ResetPeakMemory() => Machine.ResetPeakMemory(ProcessId);

    /// <summary>Starts the process and returns once <c>/health</c> answers 200.</summary>
    public static async Task<ServiceProcess> StartAsync(
        string name,
        string assemblyPath,
        int grpcPort,
        int httpPort,
        IReadOnlyDictionary<string, string> environment,
        string logDirectory,
        CancellationToken cancellationToken)
    {
        var logPath = Path.Combine(logDirectory, $"{name}-{DateTime.Now:HHmmss.fff}.log");
        // setsid: a Ctrl+C aimed at the benchmark does not reach the service, which the benchmark stops itself.
        // sh execs in place, so the process id is the service's own (for /proc).
        var startInfo = new ProcessStartInfo("setsid")
        {
            UseShellExecute = false,
            // The content root, where appsettings.json is read from.
            WorkingDirectory = Path.GetDirectoryName(assemblyPath)!,
        };
        foreach (var argument in (string[])["sh", "-c", "log=\"$1\"; shift; exec \"$@\" >>\"$log\" 2>&1 </dev/null", name, logPath, "dotnet", assemblyPath])
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var variable in s_removedVariables)
        {
            startInfo.Environment.Remove(variable);
        }

        startInfo.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        startInfo.Environment["DOTNET_ENVIRONMENT"] = "Production";
        startInfo.Environment["Kestrel__Endpoints__grpc__Url"] = $"http://127.0.0.1:{grpcPort}";
        startInfo.Environment["Kestrel__Endpoints__http__Url"] = $"http://127.0.0.1:{httpPort}";
        foreach (var (key, value) in environment)
        {
            startInfo.Environment[key] = value;
        }

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {name}.");
        Watchdog.Watch(process.Id);
        var service = new ServiceProcess(name, process, grpcPort, httpPort, logPath);
        try
        {
            await service.WaitUntilHealthyAsync(cancellationToken);
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    /// <summary>The end of the process's output, for error messages.</summary>
    public string LogTail(int maxChars = 3000)
    {
        var text = File.Exists(LogPath) ? File.ReadAllText(LogPath) : "(no output)";
        return text.Length <= maxChars ? text : "…" + text[^maxChars..];
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        if (!_process.HasExited)
        {
            Watchdog.Terminate(ProcessId);
            using var timeout = new CancellationTokenSource(s_stopTimeout);
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync(CancellationToken.None);
            }
        }

        Watchdog.Forget(ProcessId);
        PerfProfiler.DeleteMaps(ProcessId); // written when the process ran with PerfProfiler.ServiceEnvironment
        _process.Dispose();
    }

    private async Task WaitUntilHealthyAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var health = new Uri(HttpAddress, "/health");
        var clock = Stopwatch.StartNew();
        var last = "no answer yet";
        while (clock.Elapsed < s_startTimeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} while starting. Output:\n{LogTail()}");
            }

            try
            {
                using var response = await http.GetAsync(health, cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }

                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}";
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }
            catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                last = e.Message;
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException(
            $"{Name} was not healthy at {health} within {s_startTimeout.TotalSeconds:0} s (last: {last}). Output:\n{LogTail()}");
    }
}
