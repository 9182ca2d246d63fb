using System.Security.Cryptography;

namespace MlPlatform.BlobStorage.FileSystem;

/// <summary>Writes to a temporary file while hashing; completing flushes it to disk and renames it to its hash.</summary>
internal sealed class FileSystemBlobWriter(string temporaryPath, Func<ContentHash, string> pathOf) : IBlobWriter
{
    // Callers write large chunks, so FileStream's own buffer would only add a copy.
    private readonly FileStream _file = new(temporaryPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private bool _completed;

    public long Length { get; private set; }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        _sha256.AppendData(data.Span);
        await _file.WriteAsync(data, cancellationToken);
        Length += data.Length;
    }

    public async ValueTask<BlobInfo> CompleteAsync(ContentHash? expected = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        var hash = ContentHash.FromSha256(_sha256.GetHashAndReset());
        if (expected is { } wanted && wanted != hash)
        {
            throw new ContentHashMismatchException(wanted, hash);
        }

        // fsync before the rename: after a crash the blob is either absent or complete, never torn.
        // FlushAsync does not reach the disk, and Flush(true) blocks, so it runs on the pool.
        await Task.Run(() => _file.Flush(flushToDisk: true), cancellationToken);
        await _file.DisposeAsync();

        var path = pathOf(hash);
        if (File.Exists(path))
        {
            // The same content is already stored; this copy is redundant.
            File.Delete(temporaryPath);
        }
        else
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            // Overwriting is harmless: a writer that won a race stored the very same bytes.
            File.Move(temporaryPath, path, overwrite: true);
        }

        _completed = true;
        return new BlobInfo(hash, Length);
    }

    public async ValueTask DisposeAsync()
    {
        await _file.DisposeAsync();
        _sha256.Dispose();
        if (!_completed)
        {
            File.Delete(temporaryPath);
        }

        _completed = true;
    }
}
