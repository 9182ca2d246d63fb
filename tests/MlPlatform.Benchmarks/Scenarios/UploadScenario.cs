using System.Diagnostics;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using MlPlatform.Api.Datasets.V1;
// The service project is linked too (csv-inspect), and its MlPlatform.Datasets namespace would hide the API type.
using DatasetsApi = MlPlatform.Api.Datasets.V1.Datasets;
using MlPlatform.Benchmarks.Harness;

namespace MlPlatform.Benchmarks.Scenarios;

/// <summary>
/// Issue 3: a large CSV pushed with UploadDatasetVersion through the gateway to the Datasets
/// service, next to (a) the same bytes in the same chunks through the same gateway binary to a
/// sink that discards them, and (b) reading + SHA-256 of the file. Also the Datasets process's
/// peak memory (VmHWM) per file size, which must not grow with the file.
/// </summary>
internal sealed class UploadScenario : IScenario
{
    private const double Goal = 0.6;

    public string Name => "upload";

    public string Summary => "UploadDatasetVersion of a ≥ 500 MB CSV through the gateway vs (a) gateway→sink stream and (b) read+SHA-256";

    public IReadOnlyList<OptionSpec> Options =>
    [
        new("size", "File size the throughput is compared at.", "512MiB"),
        new("memory-sizes", "Further file sizes measured the same way, to show peak memory does not grow with the file.", "128MiB"),
        new("chunks", "Chunk sizes to try (one message per chunk).", "64KiB,256KiB,1MiB"),
        new("warmup-size", "File uploaded once on each path before each measured group (JIT tiering, GC sizing, connections); smaller ones left the first (a) run of a group a quarter slower.", "the group's own file"),
        new("no-restart", "Reuse one Datasets process for every group (VmHWM reset via clear_refs) instead of a fresh one per group.", IsFlag: true),
        new("perf", "After measuring, profile one upload of the main size with `perf` (Datasets and gateway) and add the top frames.", IsFlag: true),
        new("perf-chunk", "Chunk size of the profiled upload.", "the first of --chunks"),
    ];

    public async Task<Report> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var options = context.Options;
        var mainSize = options.Size("size", 512L << 20);
        var sizes = options.Sizes("memory-sizes", [128L << 20]).Append(mainSize).Distinct().Order().ToArray();
        var chunks = options.Sizes("chunks", [64L << 10, 256L << 10, 1L << 20]).Select(c => checked((int)c)).ToArray();
        var restart = !options.Flag("no-restart");
        var profile = options.Flag("perf");
        var perfChunk = options.Get("perf-chunk") is { } perfChunkText ? checked((int)Units.ParseSize(perfChunkText)) : chunks[0];

        // Files first: generating them is no part of any measurement.
        var files = sizes.ToDictionary(size => size, size => CsvFiles.Ensure(size, context.Log));
        var warmup = options.Get("warmup-size") is null ? null : CsvFiles.Ensure(options.Size("warmup-size", 0), context.Log);
        var lengths = files.ToDictionary(f => f.Key, f => new FileInfo(f.Value).Length);

        await using var stack = new Stack(context);
        var sink = await stack.StartSinkAsync(app => app.MapGrpcService<DatasetsSink>(), cancellationToken);
        var serviceEnvironment = profile ? PerfProfiler.ServiceEnvironment : null;
        var datasets = await stack.StartServiceAsync("datasets", cancellationToken, environment: serviceEnvironment);
        var ports = (datasets.GrpcAddress.Port, datasets.HttpAddress.Port);
        var gateway = await stack.StartGatewayAsync(
            "gateway", new Dictionary<string, Uri> { ["datasets"] = datasets.GrpcAddress }, sink.Address, cancellationToken, serviceEnvironment);
        var sinkGateway = await stack.StartGatewayAsync("gateway-to-sink", new Dictionary<string, Uri>(), sink.Address, cancellationToken);

        using var serviceChannel = stack.CreateChannel(gateway.GrpcAddress);
        using var sinkChannel = stack.CreateChannel(sinkGateway.GrpcAddress);
        var service = new DatasetsApi.DatasetsClient(serviceChannel);
        var bare = new DatasetsApi.DatasetsClient(sinkChannel);

        var results = new Dictionary<(long Size, int Chunk), GroupResult>();
        var hashSamples = sizes.ToDictionary(size => size, _ => new List<double>());
        var fresh = true; // the Datasets process just started: no restart needed for the first group
        foreach (var chunk in chunks)
        {
            foreach (var size in sizes)
            {
                if (fresh)
                {
                    fresh = false;
                }
                else if (restart)
                {
                    await stack.StopAsync(datasets);
                    datasets = await stack.StartServiceAsync("datasets", cancellationToken, ports, serviceEnvironment);
                }
                else
                {
                    datasets.ResetPeakMemory();
                }

                context.Log($"{Units.Binary(size)} in {Units.Binary(chunk)} chunks: warming up…");
                DeleteBlob(stack.BlobPath("datasets"), await UploadToServiceAsync(service, warmup ?? files[size], chunk, cancellationToken));
                await UploadClient.UploadAsync(bare, "sink", warmup ?? files[size], CsvFiles.UniqueRow(), chunk, cancellationToken);

                var group = new GroupResult();
                for (var run = 1; run <= context.Runs; run++)
                {
                    // Both paths carry the same bytes.
                    var lastRow = CsvFiles.UniqueRow();
                    var meter = CpuMeter.Start(stack.Processes);
                    var toSink = await UploadClient.UploadAsync(bare, "sink", files[size], lastRow, chunk, cancellationToken);
                    group.SinkCpu.Add(meter.Stop());
                    Check(toSink.Response.Version.SizeBytes == toSink.Bytes, $"the sink received {toSink.Response.Version.SizeBytes} of {toSink.Bytes} bytes");
                    group.Sink.Add(Units.MegabytesPerSecond(toSink.Bytes, toSink.Total));

                    var dataset = await CreateDatasetAsync(service, cancellationToken);
                    meter = CpuMeter.Start(stack.Processes);
                    var endToEnd = await UploadClient.UploadAsync(service, dataset, files[size], lastRow, chunk, cancellationToken);
                    group.EndToEndCpu.Add(meter.Stop());
                    var version = endToEnd.Response.Version;
                    Check(endToEnd.Response.Created && version.SizeBytes == endToEnd.Bytes && version.RowCount > 0,
                        $"the service answered created={endToEnd.Response.Created}, size={version.SizeBytes}, rows={version.RowCount}");
                    group.EndToEnd.Add(Units.MegabytesPerSecond(endToEnd.Bytes, endToEnd.Total));
                    group.Sending.Add(Units.MegabytesPerSecond(endToEnd.Bytes, endToEnd.Sending));
                    group.Tail.Add(endToEnd.Tail.TotalSeconds);

                    var clock = Stopwatch.StartNew();
                    var sha256 = UploadClient.Sha256(files[size], lastRow);
                    hashSamples[size].Add(Units.MegabytesPerSecond(endToEnd.Bytes, clock.Elapsed));
                    Check(version.Sha256 == sha256, $"the service's SHA-256 {version.Sha256} is not the upload's, {sha256}");
                    DeleteBlob(stack.BlobPath("datasets"), endToEnd);

                    context.Log($"  run {run}: end to end {group.EndToEnd[^1]:0.0} MB/s (tail {endToEnd.Tail.TotalSeconds:0.00} s), " +
                                $"(a) {group.Sink[^1]:0.0} MB/s, (b) {hashSamples[size][^1]:0} MB/s");
                }

                group.PeakMemory = datasets.PeakMemoryBytes;
                results[(size, chunk)] = group;
            }
        }

        var report = new Report();
        report.Settings["file sizes"] = string.Join(", ", sizes.Select(s => $"{Units.Binary(s)} ({lengths[s]:N0} bytes)")) + ", each upload with a last row of its own";
        report.Settings["chunk sizes"] = string.Join(", ", chunks.Select(c => Units.Binary(c)));
        report.Settings["Datasets process"] = restart ? "fresh per group (chunk × size)" : "one for all groups, VmHWM reset per group";
        if (profile)
        {
            report.Settings["profiling"] = "Datasets and its gateway ran with DOTNET_PerfMapEnabled=1 and DOTNET_EnableWriteXorExecute=0 (for perf): not quite the product's settings";
        }

        Describe(report, sizes, chunks, results, hashSamples);

        if (profile)
        {
            context.Log($"Profiling one {Units.Binary(mainSize)} upload in {Units.Binary(perfChunk)} chunks with perf…");
            var profiles = await PerfProfiler.ProfileAsync(
                [("datasets", datasets.ProcessId), ("gateway", gateway.ProcessId)],
                Path.Combine(context.WorkDirectory, "perf"),
                () => UploadToServiceAsync(service, files[mainSize], perfChunk, cancellationToken),
                cancellationToken);
            foreach (var table in profiles)
            {
                report.AddTable(table);
            }
        }

        return report;
    }

    private static void Describe(
        Report report, long[] sizes, int[] chunks, Dictionary<(long Size, int Chunk), GroupResult> results, Dictionary<long, List<double>> hashSamples)
    {
        foreach (var size in sizes)
        {
            var b = report.Add($"b/{size}", $"(b) read + SHA-256, {Units.Binary(size)}, 1 MiB reads", "MB/s", hashSamples[size]);
            foreach (var chunk in chunks)
            {
                var group = results[(size, chunk)];
                var key = $"{size}/{chunk}";
                var a = report.Add($"a/{key}", $"(a) gateway → sink stream, {Units.Binary(size)}, {Units.Binary(chunk)} chunks", "MB/s", group.Sink);
                report.Add($"e2e/{key}", $"end to end, {Units.Binary(size)}, {Units.Binary(chunk)} chunks", "MB/s", group.EndToEnd, [a.Id, b.Id], Goal);
                report.Add($"paired/{key}", "  end to end ÷ (a), paired run by run (steadier under changing load)", "%",
                    group.EndToEnd.Zip(group.Sink, (endToEnd, sink) => 100 * endToEnd / sink));
                report.Add($"send/{key}", $"  of which sending phase (until last chunk written)", "MB/s", group.Sending, [a.Id]);
                report.Add($"tail/{key}", $"  of which tail: last byte sent → response (parse rest, fsync, commit)", "s", group.Tail);
            }
        }

        report.AddTable(new Table(
            "Datasets service peak memory (VmHWM, MiB) by file size",
            ["chunk", .. sizes.Select(s => Units.Binary(s)), "growth largest vs smallest"],
            [.. chunks.Select(chunk => (IReadOnlyList<string>)
            [
                Units.Binary(chunk),
                .. sizes.Select(size => results[(size, chunk)].PeakMemory is { } peak ? Units.Number(peak / (double)(1 << 20)) : "–"),
                results[(sizes[^1], chunk)].PeakMemory is { } last && results[(sizes[0], chunk)].PeakMemory is { } first
                    ? $"{Units.Number((last - first) / (double)(1 << 20))} MiB for {Units.Binary(sizes[^1] - sizes[0])} more file"
                    : "–",
            ])]));

        report.AddTable(CpuTable(sizes, chunks, results));

        var main = sizes[^1];
        var best = chunks.MaxBy(chunk => Statistics.Median(results[(main, chunk)].EndToEnd));
        var bestFigure = report.Find($"e2e/{main}/{best}")!;
        report.Note($"Best chunk size at {Units.Binary(main)}: {Units.Binary(best)} — end to end {Units.Number(bestFigure.Median)} MB/s, " +
                    $"{Units.Percent(report.Ratio(bestFigure, $"a/{main}/{best}"))} of ceiling (a), {Units.Percent(report.Ratio(bestFigure, $"b/{main}"))} of ceiling (b).");
        report.Note("MB/s = 10^6 bytes per second of CSV file; (a) and end to end are timed from the call's start to its response, on the same client code.");
        report.Note("CPU table: ms of CPU per MB uploaded, per process, medians over runs; 'machine idle' near 0 means the run was CPU-bound on this machine.");
    }

    private static Table CpuTable(long[] sizes, int[] chunks, Dictionary<(long Size, int Chunk), GroupResult> results)
    {
        var processes = results.Values
            .SelectMany(g => g.EndToEndCpu.Concat(g.SinkCpu))
            .SelectMany(u => u.Processes.Keys)
            .Distinct()
            .ToArray();
        var rows = new List<IReadOnlyList<string>>();
        foreach (var size in sizes)
        {
            foreach (var chunk in chunks)
            {
                var group = results[(size, chunk)];
                foreach (var (path, usages) in new[] { ("(a) → sink", group.SinkCpu), ("end to end", group.EndToEndCpu) })
                {
                    double PerMegabyte(Func<CpuUsage, TimeSpan> cpu) =>
                        Statistics.Median([.. usages.Select(u => cpu(u).TotalMilliseconds / (size / Units.Megabyte))]);

                    rows.Add(
                    [
                        $"{Units.Binary(size)}, {Units.Binary(chunk)}",
                        path,
                        .. processes.Select(name => Units.Number(PerMegabyte(u => u.Processes.GetValueOrDefault(name)))),
                        Units.Number(Statistics.Median([.. usages.Select(u => u.Cores(u.Others))])),
                        Units.Percent(Statistics.Median([.. usages.Select(u => u.Idle / u.MachineTotal)])),
                    ]);
                }
            }
        }

        return new Table(
            "CPU per MB uploaded (ms/MB) by process, other processes' cores, machine idle",
            ["file, chunk", "path", .. processes.Select(p => p + " ms/MB"), "others (cores)", "machine idle"],
            rows);
    }

    /// <summary>
    /// Deletes an upload's blob once it was measured. Kept, every later run would write its file to
    /// memory this VM had never touched, which the hypervisor backs page by page on the first write:
    /// copying into the page cache rose from 1 % to 29 % of the service's CPU by the fifth run, and
    /// end to end fell by a quarter. A long-running server reuses its page cache's memory instead.
    /// </summary>
    private static void DeleteBlob(string blobPath, UploadOutcome upload)
    {
        foreach (var file in Directory.EnumerateFiles(blobPath, upload.Response.Version.Sha256, SearchOption.AllDirectories))
        {
            File.Delete(file);
        }
    }

    private static async Task<UploadOutcome> UploadToServiceAsync(DatasetsApi.DatasetsClient client, string path, int chunk, CancellationToken cancellationToken) =>
        await UploadClient.UploadAsync(client, await CreateDatasetAsync(client, cancellationToken), path, CsvFiles.UniqueRow(), chunk, cancellationToken);

    /// <summary>A fresh dataset per upload, so that its first version is always new.</summary>
    private static async Task<string> CreateDatasetAsync(DatasetsApi.DatasetsClient client, CancellationToken cancellationToken)
    {
        var name = $"bench-{Guid.NewGuid():N}";
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await client.CreateDatasetAsync(new CreateDatasetRequest { Name = name }, deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: cancellationToken);
                return name;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && attempt < 5)
            {
                // The gateway's connection to a restarted service may need a moment to be replaced.
                await Task.Delay(200 * attempt, cancellationToken);
            }
        }
    }

    private static void Check(bool condition, string problem)
    {
        if (!condition)
        {
            throw new InvalidOperationException("Upload result is wrong: " + problem);
        }
    }

    private sealed class GroupResult
    {
        public List<double> EndToEnd { get; } = [];

        public List<double> Sending { get; } = [];

        public List<double> Tail { get; } = [];

        public List<double> Sink { get; } = [];

        public List<CpuUsage> EndToEndCpu { get; } = [];

        public List<CpuUsage> SinkCpu { get; } = [];

        public long? PeakMemory { get; set; }
    }
}
