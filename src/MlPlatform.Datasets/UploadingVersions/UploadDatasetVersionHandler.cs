using System.Threading.Channels;
using Grpc.Core;
using Marten;
using MlPlatform.Api.Datasets.V1;
using MlPlatform.BlobStorage;
using MlPlatform.Datasets.DatasetCatalog;
using MlPlatform.Datasets.Profiling;
using MlPlatform.Hosting.Grpc;
using MlPlatform.Hosting.Outbox;
using Dataset = MlPlatform.Datasets.DatasetCatalog.Dataset;
using DatasetVersion = MlPlatform.Datasets.DatasetCatalog.DatasetVersion;

namespace MlPlatform.Datasets.UploadingVersions;

/// <summary>
/// Receives a file in one pass — each chunk is profiled, hashed and written to a blob that stays
/// invisible until the whole file checked out — then records the version, unless the dataset
/// already has one with the same content.
/// </summary>
/// <remarks>
/// Profiling costs more CPU than receiving, hashing and writing together, so it runs on another
/// thread, a few MiB behind: the two halves overlap instead of taking turns. Chunks go to it in
/// batches of about a MiB, so the two threads wait for each other once a batch rather than once a
/// chunk; invalid content therefore stops the receiver at the next batch, not the next chunk.
/// </remarks>
internal static class UploadDatasetVersionHandler
{
    // Batches received but not yet profiled; bounds the memory an upload holds whatever its size.
    private const int BatchesInFlight = 2;
    private const int BatchBytes = 1 << 20;

    public static async Task<(DatasetVersion Version, bool Created)> HandleAsync(
        IAsyncStreamReader<UploadDatasetVersionRequest> requests,
        ISessionFactory sessions,
        IBlobStore blobs,
        UploadOptions options,
        CancellationToken cancellationToken)
    {
        var upload = await UploadHeaderReader.ReadAsync(requests, cancellationToken);
        await using (var session = sessions.QuerySession())
        {
            // Fail before the client sends gigabytes.
            await Catalog.FindDatasetAsync(session, upload.Dataset, cancellationToken);
        }

        var (blob, summary) = await ReceiveAsync(requests, upload, blobs, options.MaxBytes, cancellationToken);
        return await Conflicts.RetryAsync(() => CommitAsync(sessions, upload, blob, summary, cancellationToken), cancellationToken);
    }

    private static async Task<(BlobInfo Blob, DatasetSummary Summary)> ReceiveAsync(
        IAsyncStreamReader<UploadDatasetVersionRequest> requests, Upload upload, IBlobStore blobs, long maxBytes, CancellationToken cancellationToken)
    {
        await using var blob = await blobs.StartWriteAsync(cancellationToken);
        var batches = Channel.CreateBounded<List<ReadOnlyMemory<byte>>>(
            new BoundedChannelOptions(BatchesInFlight) { SingleReader = true, SingleWriter = true });
        using var stopInspecting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var inspecting = Task.Run(() => InspectAsync(upload, batches, stopInspecting.Token), CancellationToken.None);
        var batch = new List<ReadOnlyMemory<byte>>();
        var batchBytes = 0L;
        try
        {
            while (await ReadNextAsync(requests, cancellationToken) is { } chunk)
            {
                if (blob.Length + chunk.Length > maxBytes)
                {
                    throw Errors.ResourceExhausted(
                        $"The file is larger than the {maxBytes:N0} bytes this service accepts for one version; nothing was stored.");
                }

                // Chunks are never reused (each message has its own), so the inspector may read them after they are written.
                // Bytes that turn out not to be a valid file reach only the temporary file, which disposing deletes.
                await blob.WriteAsync(chunk, cancellationToken);
                batch.Add(chunk);
                batchBytes += chunk.Length;
                if (batchBytes >= BatchBytes)
                {
                    await SendAsync(batches, batch, inspecting, cancellationToken);
                    batch = [];
                    batchBytes = 0;
                }
            }

            if (batch.Count > 0)
            {
                await SendAsync(batches, batch, inspecting, cancellationToken);
            }

            // If the inspector failed meanwhile, the channel is closed already and awaiting it throws why.
            batches.Writer.TryComplete();
            var summary = await inspecting;
            return (await blob.CompleteAsync(upload.ExpectedSha256, cancellationToken), summary);
        }
        catch (InvalidDatasetException invalid)
        {
            throw Errors.InvalidArgument($"{invalid.Message} Nothing was stored.");
        }
        catch (ContentHashMismatchException mismatch)
        {
            throw Errors.DataLoss(
                $"The file's SHA-256 is {mismatch.Actual}, not the {mismatch.Expected} the header expected: "
                + "bytes were lost or changed on the way. Nothing was stored; upload it again.");
        }
        finally
        {
            // The inspector must be done with the chunks before the call (and its buffers) ends.
            batches.Writer.TryComplete();
            await stopInspecting.CancelAsync();
            await ((Task)inspecting).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private static async Task SendAsync(
        Channel<List<ReadOnlyMemory<byte>>> batches, List<ReadOnlyMemory<byte>> batch, Task inspecting, CancellationToken cancellationToken)
    {
        try
        {
            await batches.Writer.WriteAsync(batch, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            await inspecting; // the inspector failed and closed the channel: throws why
            throw;
        }
    }

    /// <summary>Profiles the chunks as they come; invalid content (or any failure) closes the channel, which stops the receiver.</summary>
    private static async Task<DatasetSummary> InspectAsync(Upload upload, Channel<List<ReadOnlyMemory<byte>>> batches, CancellationToken cancellationToken)
    {
        using var inspector = upload.CreateInspector();
        try
        {
            while (await batches.Reader.WaitToReadAsync(cancellationToken))
            {
                while (batches.Reader.TryRead(out var batch))
                {
                    foreach (var chunk in batch)
                    {
                        inspector.Inspect(chunk.Span);
                    }
                }
            }

            return inspector.Complete();
        }
        catch (Exception)
        {
            batches.Writer.TryComplete();
            throw;
        }
    }

    /// <summary>The next chunk, or null at the end of the stream.</summary>
    private static async Task<ReadOnlyMemory<byte>?> ReadNextAsync(
        IAsyncStreamReader<UploadDatasetVersionRequest> requests, CancellationToken cancellationToken)
    {
        try
        {
            if (!await requests.MoveNext(cancellationToken))
            {
                return null;
            }
        }
        catch (Exception aborted) when (aborted is IOException or OperationCanceledException)
        {
            throw new RpcException(new Status(StatusCode.Cancelled, "The client aborted the upload; nothing was stored."));
        }

        return requests.Current.ContentCase switch
        {
            UploadDatasetVersionRequest.ContentOneofCase.Chunk => requests.Current.Chunk.Memory,
            UploadDatasetVersionRequest.ContentOneofCase.Header =>
                throw Errors.InvalidArgument("The upload has a second header; send the header once, first, and only chunks after it."),
            _ => throw Errors.InvalidArgument("An upload message has neither a header nor a chunk."),
        };
    }

    private static async Task<(DatasetVersion Version, bool Created)> CommitAsync(
        ISessionFactory sessions, Upload upload, BlobInfo blob, DatasetSummary summary, CancellationToken cancellationToken)
    {
        await using var session = sessions.OpenSession();
        // The stream version read here is checked again at commit: a version that another upload
        // added in between makes the commit fail, and the retry sees that version.
        var stream = await session.Events.FetchForWriting<Dataset>(upload.Dataset, cancellationToken);
        var dataset = stream.Aggregate ?? throw Catalog.DatasetNotFound(upload.Dataset);

        var existing = await session.Query<DatasetVersion>()
            .FirstOrDefaultAsync(v => v.Dataset == dataset.Id && v.Sha256 == blob.Hash.Hex, cancellationToken);
        if (existing is not null)
        {
            return (existing, false);
        }

        var added = new DatasetVersionAdded(
            dataset.Id,
            dataset.LatestVersion + 1,
            blob.Hash.Hex,
            blob.Length,
            upload.Format,
            summary.RowCount,
            summary.Columns,
            upload.Description,
            upload.Tags,
            DateTimeOffset.UtcNow);
        stream.AppendOne(added);
        session.PublishAfterCommit(added.ToIntegrationEvent());
        await session.SaveChangesAsync(cancellationToken);
        return (DatasetVersion.From(added), true);
    }
}
