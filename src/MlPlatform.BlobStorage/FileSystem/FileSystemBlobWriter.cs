using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace MlPlatform.BlobStorage.FileSystem;

/// <summary>
/// Writes to a temporary file while hashing; completing flushes it to disk and renames it to its hash,
/// or deletes it when a blob with that hash is stored already.
/// </summary>
/// <remarks>
/// Every <see cref="WritebackInterval"/> bytes the kernel is asked to start writing them out, so that
/// while the disk keeps up with the upload, the flush that completing waits for has little left
/// whatever the blob's size.
/// </remarks>
internal sealed class FileSystemBlobWriter(string temporaryPath, Func<ContentHash, string> pathOf) : IBlobWriter
{
    public const int WritebackInterval = 4 << 20;

    // Callers write large chunks; positional writes on the handle need no stream buffer, and a
    // write to the page cache is quicker done in place than handed to another thread.
    private readonly SafeFileHandle _file = File.OpenHandle(temporaryPath, FileMode.CreateNew, FileAccess.Write);
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _writtenBackTo;
    private bool _completed;

    public long Length { get; private set; }

    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        cancellationToken.ThrowIfCancellationRequested();
        _sha256.AppendData(data.Span);
        RandomAccess.Write(_file, data.Span, Length);
        Length += data.Length;
        if (Length - _writtenBackTo >= WritebackInterval)
        {
            _ = Writeback.Start(_file, _writtenBackTo, Length - _writtenBackTo);
            _writtenBackTo = Length;
        }

        return ValueTask.CompletedTask;
    }

    public async ValueTask<BlobInfo> CompleteAsync(ContentHash? expected = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        var hash = ContentHash.FromSha256(_sha256.GetHashAndReset());
        if (expected is { } wanted && wanted != hash)
        {
            throw new ContentHashMismatchException(wanted, hash);
        }

        var path = pathOf(hash);
        var directory = Path.GetDirectoryName(path)!;
        var created = false;
        if (File.Exists(path))
        {
            // The same content is already stored; this copy is redundant, so it need not reach the disk.
            _file.Dispose();
            File.Delete(temporaryPath);
        }
        else
        {
            // fsync before the rename: after a crash the blob is either absent or complete, never torn.
            // It blocks, so it runs on the pool.
            await Task.Run(() => RandomAccess.FlushToDisk(_file), cancellationToken);
            _file.Dispose();
            created = !Directory.Exists(directory);
            Directory.CreateDirectory(directory);
            // Overwriting is harmless: a writer that won a race stored the very same bytes.
            File.Move(temporaryPath, path, overwrite: true);
        }

        // The blob's name is durable only once the directory holding it is on disk too — after our rename,
        // or the one of the writer that stored it first, which may not have flushed yet. The blob is
        // visible already, so this is not cancelled halfway.
        await Task.Run(
            () =>
            {
                Directories.FlushToDisk(directory);
                if (created)
                {
                    Directories.FlushToDisk(Path.GetDirectoryName(directory)!);
                }
            },
            CancellationToken.None);

        _completed = true;
        return new BlobInfo(hash, Length);
    }

    public ValueTask DisposeAsync()
    {
        _file.Dispose();
        _sha256.Dispose();
        if (!_completed)
        {
            File.Delete(temporaryPath);
        }

        _completed = true;
        return ValueTask.CompletedTask;
    }
}
