using System.Diagnostics;
using System.Security.Cryptography;
using MlPlatform.Benchmarks.Harness;
using MlPlatform.Datasets.Csv;

namespace MlPlatform.Benchmarks.Scenarios;

/// <summary>
/// The Datasets service's CSV inspection (parse, type inference, profile) alone, in this process on
/// one thread, over the upload scenario's file held in memory and fed in upload-sized chunks — next
/// to SHA-256 of the same bytes in the same chunks, the one other pass every upload makes. The
/// upload scenario's end-to-end figure moves with the whole machine; this one moves only with the
/// inspector's code, so a change to it shows here first (CPU ms per MB is the steadier figure).
/// </summary>
internal sealed class CsvInspectScenario : IScenario
{
    public string Name => "csv-inspect";

    public string Summary => "the Datasets CSV inspector alone (one thread, in memory) vs SHA-256 of the same chunks";

    public IReadOnlyList<OptionSpec> Options =>
    [
        new("size", "File size (the upload scenario's generated CSV).", "128MiB"),
        new("chunk", "Chunk size the bytes are fed in.", "64KiB"),
    ];

    public async Task<Report> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var size = context.Options.Size("size", 128L << 20);
        var chunk = checked((int)context.Options.Size("chunk", 64L << 10));
        var bytes = await File.ReadAllBytesAsync(CsvFiles.Ensure(size, context.Log), cancellationToken);
        var megabytes = bytes.Length / 1e6;

        // Untimed passes first: the JIT's optimised code, not its first tiers, is measured.
        for (var warmup = 0; warmup < 2; warmup++)
        {
            Inspect(bytes, chunk);
            Hash(bytes, chunk);
        }

        var (inspectRates, inspectCpu, hashRates) = (new List<double>(), new List<double>(), new List<double>());
        for (var run = 1; run <= context.Runs; run++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (wall, cpu) = Measure(() => Inspect(bytes, chunk));
            inspectRates.Add(megabytes / wall.TotalSeconds);
            inspectCpu.Add(cpu.TotalMilliseconds / megabytes);
            hashRates.Add(megabytes / Measure(() => Hash(bytes, chunk)).Wall.TotalSeconds);
            context.Log($"run {run}/{context.Runs}: inspect {inspectRates[^1]:0} MB/s ({inspectCpu[^1]:0.00} ms CPU/MB), SHA-256 {hashRates[^1]:0} MB/s");
        }

        var report = new Report();
        report.Settings["file"] = $"{Units.Binary(size)} ({bytes.Length:N0} bytes), in memory";
        report.Settings["chunk"] = Units.Binary(chunk);
        var hash = report.Add("sha256", "SHA-256 of the same chunks", "MB/s", hashRates);
        report.Add("inspect", "CSV inspection (parse, infer types, profile 12 columns)", "MB/s", inspectRates, [hash.Id]);
        report.Add("inspect-cpu", "  its CPU per MB (all of the process's threads: GC included)", "ms/MB", inspectCpu);
        report.Note("One thread, no I/O: the inspector's own cost. In the service it runs beside receiving, hashing and writing, on another thread.");
        return report;
    }

    private static int Inspect(byte[] bytes, int chunk)
    {
        using var inspector = new CsvInspector((byte)',');
        for (var offset = 0; offset < bytes.Length; offset += chunk)
        {
            inspector.Inspect(bytes.AsSpan(offset, Math.Min(chunk, bytes.Length - offset)));
        }

        return (int)inspector.Complete().RowCount;
    }

    private static int Hash(byte[] bytes, int chunk)
    {
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (var offset = 0; offset < bytes.Length; offset += chunk)
        {
            sha256.AppendData(bytes.AsSpan(offset, Math.Min(chunk, bytes.Length - offset)));
        }

        return sha256.GetHashAndReset().Length;
    }

    private static (TimeSpan Wall, TimeSpan Cpu) Measure(Func<int> work)
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        GC.KeepAlive(work());
        wall.Stop();
        process.Refresh();
        return (wall.Elapsed, process.TotalProcessorTime - cpu);
    }
}
