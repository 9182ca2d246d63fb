using System.Buffers.Text;
using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using MlPlatform.Api.Datasets.V1;

namespace MlPlatform.Datasets.Tests.Api;

/// <summary>The service with an upload limit far above the large file.</summary>
public sealed class LargeUploadFactory() : DatasetsFactory(dedicatedBroker: false, maxUploadBytes: 1L << 40);

/// <summary>Alone, so that the managed heap it measures is its own.</summary>
[CollectionDefinition(nameof(LargeUploadCollection), DisableParallelization = true)]
public sealed class LargeUploadCollection;

[Collection(nameof(LargeUploadCollection))]
public sealed class LargeUploadTests(LargeUploadFactory service) : IClassFixture<LargeUploadFactory>
{
    private const long FileBytes = 320L << 20;
    private const int ChunkBytes = 64 << 10;

    // Growth of the managed heap during the upload, over what it held before. Live objects must
    // not grow with the file at all; garbage between collections may, up to a few generations' budget.
    private const long LiveGrowthBound = 32L << 20;
    private const long HeapGrowthBound = 96L << 20;

    [Fact]
    public async Task A_file_larger_than_memory_streams_through_in_constant_memory()
    {
        var client = service.Client;
        var dataset = await client.NewDatasetAsync();
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        using var sampling = new CancellationTokenSource();
        var peaks = SamplePeakHeapAsync(sampling.Token);

        long rows;
        long sent = 0;
        using (var call = client.UploadDatasetVersion(cancellationToken: TestContext.Current.CancellationToken))
        {
            await call.RequestStream.WriteAsync(new UploadDatasetVersionRequest { Header = new UploadHeader { Dataset = dataset } }, TestContext.Current.CancellationToken);
            var generator = new CsvGenerator();
            var buffer = new byte[ChunkBytes];
            while (sent < FileBytes)
            {
                var length = generator.Fill(buffer);
                sha256.AppendData(buffer, 0, length);
                // The call copies the bytes into the request before the write completes, so the buffer is reused.
                await call.RequestStream.WriteAsync(
                    new UploadDatasetVersionRequest { Chunk = UnsafeByteOperations.UnsafeWrap(buffer.AsMemory(0, length)) },
                    TestContext.Current.CancellationToken);
                sent += length;
            }

            await call.RequestStream.CompleteAsync();
            rows = generator.Rows;
            var version = (await call.ResponseAsync).Version;

            Assert.Equal((Convert.ToHexStringLower(sha256.GetHashAndReset()), sent, rows), (version.Sha256, version.SizeBytes, version.RowCount));
            var id = version.Columns[0].Profile;
            Assert.Equal((ColumnType.Int64, "1", rows.ToString(System.Globalization.CultureInfo.InvariantCulture), (rows + 1) / 2.0),
                (version.Columns[0].Type, id.Min, id.Max, id.Mean));
            Assert.InRange(id.DistinctEstimate, rows * 0.95, rows * 1.05);
            Assert.Equal(
                [ColumnType.Int64, ColumnType.Double, ColumnType.String, ColumnType.Bool, ColumnType.Timestamp],
                version.Columns.Select(c => c.Type));
            Assert.Equal(["red", "green", "blue"], version.Columns[2].Profile.TopValues.Select(t => t.Value));
        }

        await sampling.CancelAsync();
        var (heap, live) = await peaks;
        TestContext.Current.SendDiagnosticMessage($"Sent {sent >> 20} MiB; heap grew by at most {(heap - baseline) >> 20} MiB, live objects by {(live - baseline) >> 20} MiB.");
        Assert.InRange(live - baseline, long.MinValue, LiveGrowthBound);
        Assert.InRange(heap - baseline, long.MinValue, HeapGrowthBound);
        Assert.True(sent > 3 * HeapGrowthBound);
    }

    [Fact]
    public async Task A_bad_row_early_in_a_long_upload_ends_the_call_before_the_rest_is_sent()
    {
        // 64 MiB of good rows follow the bad one; the service holds only a few MiB in flight.
        const int GoodChunks = 1024;
        var good = new UploadDatasetVersionRequest { Chunk = ByteString.CopyFromUtf8(string.Concat(Enumerable.Repeat("1234567,7654321\n", 4096))) };
        var sent = 0;
        IEnumerable<UploadDatasetVersionRequest> Messages(string dataset)
        {
            yield return new UploadDatasetVersionRequest { Header = new UploadHeader { Dataset = dataset } };
            yield return new UploadDatasetVersionRequest { Chunk = ByteString.CopyFromUtf8("a,b\n1,2\n3\n") };
            for (sent = 0; sent < GoodChunks; sent++)
            {
                yield return good;
            }
        }

        var client = service.Client;
        var dataset = await client.NewDatasetAsync();
        var blobsBefore = service.BlobFiles;

        var error = await Assert.ThrowsAsync<RpcException>(() => client.SendAsync(Messages(dataset)));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("Data row 2 (line 3) has 1 field, but the header has 2.", error.Status.Detail);
        Assert.InRange(sent, 0, GoodChunks / 4);
        Assert.Empty((await client.ListDatasetVersionsAsync(
            new ListDatasetVersionsRequest { Dataset = dataset }, cancellationToken: TestContext.Current.CancellationToken)).Versions);
        Assert.Equal(blobsBefore, service.BlobFiles); // the other test's blob may be there; nothing was added
    }

    /// <summary>
    /// The largest managed heap seen while the upload runs (client and in-memory service share this
    /// process), with garbage and, every few samples, after a full collection: only live objects.
    /// </summary>
    private static async Task<(long Heap, long Live)> SamplePeakHeapAsync(CancellationToken stop)
    {
        var (heap, live) = (0L, 0L);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        try
        {
            for (var sample = 1; await timer.WaitForNextTickAsync(stop); sample++)
            {
                heap = Math.Max(heap, GC.GetTotalMemory(forceFullCollection: false));
                if (sample % 25 == 0)
                {
                    live = Math.Max(live, GC.GetTotalMemory(forceFullCollection: true));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        return (heap, live);
    }

    /// <summary>Rows of <c>id,price,colour,flag,when</c>, written straight into the caller's buffer.</summary>
    private sealed class CsvGenerator
    {
        private static readonly byte[][] s_colours = ["red"u8.ToArray(), "red"u8.ToArray(), "red"u8.ToArray(), "green"u8.ToArray(), "green"u8.ToArray(), "blue"u8.ToArray()];
        private bool _headerWritten;

        public long Rows { get; private set; }

        public int Fill(Span<byte> buffer)
        {
            var written = 0;
            if (!_headerWritten)
            {
                "id,price,colour,flag,when\n"u8.CopyTo(buffer);
                written = 26;
                _headerWritten = true;
            }

            // A row is at most ~70 bytes; stop while one more surely fits.
            while (buffer.Length - written > 128)
            {
                var row = ++Rows;
                var span = buffer[written..];
                var n = 0;
                Utf8Formatter.TryFormat(row, span, out var w);
                n += w;
                span[n++] = (byte)',';
                Utf8Formatter.TryFormat(row % 1000 / 8.0, span[n..], out w);
                n += w;
                span[n++] = (byte)',';
                var colour = s_colours[row % s_colours.Length];
                colour.CopyTo(span[n..]);
                n += colour.Length;
                span[n++] = (byte)',';
                (row % 2 == 0 ? "true"u8 : "false"u8).CopyTo(span[n..]);
                n += row % 2 == 0 ? 4 : 5;
                span[n++] = (byte)',';
                Utf8Formatter.TryFormat(new DateTime(2024, 1, 1).AddSeconds(row), span[n..], out w, new System.Buffers.StandardFormat('O'));
                n += w;
                span[n++] = (byte)'\n';
                written += n;
            }

            return written;
        }
    }
}
