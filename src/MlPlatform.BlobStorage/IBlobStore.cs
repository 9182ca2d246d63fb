namespace MlPlatform.BlobStorage;

/// <summary>
/// Immutable blobs addressed by the SHA-256 of their content. Writing the same bytes twice stores
/// them once. A blob becomes visible only when every byte of it is durable, so readers never see
/// a partial one.
/// </summary>
public interface IBlobStore
{
    /// <summary>
    /// Starts a new blob. Its address is known only when the last byte is written, so it stays
    /// invisible until <see cref="IBlobWriter.CompleteAsync"/>; disposing the writer before that
    /// discards it.
    /// </summary>
    ValueTask<IBlobWriter> StartWriteAsync(CancellationToken cancellationToken = default);

    /// <summary>The blob's length in bytes, or null when the store holds no blob with this hash.</summary>
    ValueTask<long?> GetLengthAsync(ContentHash hash, CancellationToken cancellationToken = default);

    /// <summary>Opens the blob for reading, positioned at <paramref name="offset"/>.</summary>
    /// <exception cref="BlobNotFoundException">The store holds no blob with this hash.</exception>
    ValueTask<Stream> OpenReadAsync(ContentHash hash, long offset = 0, CancellationToken cancellationToken = default);
}

/// <summary>A blob being written: it hashes the bytes as they pass and publishes them on completion.</summary>
public interface IBlobWriter : IAsyncDisposable
{
    /// <summary>Bytes written so far.</summary>
    long Length { get; }

    ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes the blob durable and visible under its hash. With <paramref name="expected"/>, content
    /// that hashes differently is discarded instead, and nothing becomes visible.
    /// </summary>
    /// <exception cref="ContentHashMismatchException">The content does not hash to <paramref name="expected"/>.</exception>
    ValueTask<BlobInfo> CompleteAsync(ContentHash? expected = null, CancellationToken cancellationToken = default);
}

/// <summary>A stored blob: its address and length in bytes.</summary>
public sealed record BlobInfo(ContentHash Hash, long Length);

public sealed class BlobNotFoundException(ContentHash hash)
    : Exception($"The blob store holds no blob with SHA-256 {hash}.")
{
    public ContentHash Hash { get; } = hash;
}

public sealed class ContentHashMismatchException(ContentHash expected, ContentHash actual)
    : Exception($"The content's SHA-256 is {actual}, not the expected {expected}.")
{
    public ContentHash Expected { get; } = expected;

    public ContentHash Actual { get; } = actual;
}
