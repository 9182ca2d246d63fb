using System.Diagnostics;
using System.Security.Cryptography;
using Google.Protobuf;
using Microsoft.Win32.SafeHandles;
using MlPlatform.Api.Datasets.V1;
// The service project is linked too (csv-inspect), and its MlPlatform.Datasets namespace would hide the API type.
using DatasetsApi = MlPlatform.Api.Datasets.V1.Datasets;

namespace MlPlatform.Benchmarks.Scenarios;

/// <param name="Sending">From the call's start until the last chunk was handed to the call (flow control makes this track the receiver).</param>
/// <param name="Total">From the call's start until the response arrived.</param>
internal sealed record UploadOutcome(long Bytes, TimeSpan Sending, TimeSpan Total, UploadDatasetVersionResponse Response)
{
    /// <summary>After the last byte was sent: what the receiver still had to do (for the service: finish parsing, fsync, commit).</summary>
    public TimeSpan Tail => Total - Sending;
}

/// <summary>The client side of an upload, identical whatever receives it: the file read in chunks and streamed, then a last row of its own.</summary>
internal static class UploadClient
{
    private static readonly TimeSpan s_callTimeout = TimeSpan.FromMinutes(10);

    /// <exception cref="TimeoutException">The upload took longer than ten minutes (its deadline), however it got stuck.</exception>
    public static async Task<UploadOutcome> UploadAsync(
        DatasetsApi.DatasetsClient client, string dataset, string path, byte[] lastRow, int chunkBytes, CancellationToken cancellationToken)
    {
        // The call's deadline should end it; the wait is bounded even if something below the call does not notice.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_callTimeout);
        return await SendAsync(client, dataset, path, lastRow, chunkBytes, timeout.Token)
            .WaitAsync(s_callTimeout + TimeSpan.FromSeconds(30), cancellationToken);
    }

    private static async Task<UploadOutcome> SendAsync(
        DatasetsApi.DatasetsClient client, string dataset, string path, byte[] lastRow, int chunkBytes, CancellationToken cancellationToken)
    {
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        var length = RandomAccess.GetLength(file);
        var buffer = GC.AllocateUninitializedArray<byte>(chunkBytes);
        var clock = Stopwatch.StartNew();
        using var call = client.UploadDatasetVersion(deadline: DateTime.UtcNow + s_callTimeout, cancellationToken: cancellationToken);
        await call.RequestStream.WriteAsync(
            new UploadDatasetVersionRequest { Header = new UploadHeader { Dataset = dataset, Format = DatasetFormat.Csv } }, cancellationToken);
        long offset = 0;
        while (offset < length)
        {
            var read = await ReadAsync(file, buffer, offset, cancellationToken);
            // The call serialises the message before WriteAsync completes, so the buffer can be refilled after it.
            await call.RequestStream.WriteAsync(
                new UploadDatasetVersionRequest { Chunk = UnsafeByteOperations.UnsafeWrap(buffer.AsMemory(0, read)) }, cancellationToken);
            offset += read;
        }

        await call.RequestStream.WriteAsync(new UploadDatasetVersionRequest { Chunk = UnsafeByteOperations.UnsafeWrap(lastRow) }, cancellationToken);
        await call.RequestStream.CompleteAsync();
        var sending = clock.Elapsed;
        var response = await call.ResponseAsync;
        return new UploadOutcome(length + lastRow.Length, sending, clock.Elapsed, response);
    }

    /// <summary>Ceiling (b): read the file in 1 MiB reads and SHA-256 it with the upload's last row; returns the hex digest.</summary>
    public static string Sha256(string path, byte[] lastRow)
    {
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = GC.AllocateUninitializedArray<byte>(1 << 20);
        long offset = 0;
        int read;
        while ((read = RandomAccess.Read(file, buffer, offset)) > 0)
        {
            sha256.AppendData(buffer, 0, read);
            offset += read;
        }

        sha256.AppendData(lastRow);
        return Convert.ToHexStringLower(sha256.GetHashAndReset());
    }

    private static async ValueTask<int> ReadAsync(SafeFileHandle file, byte[] buffer, long offset, CancellationToken cancellationToken)
    {
        var read = await RandomAccess.ReadAsync(file, buffer, offset, cancellationToken);
        return read > 0 ? read : throw new EndOfStreamException($"The file ended at {offset} bytes while being uploaded.");
    }
}
