namespace MlPlatform.BlobStorage.FileSystem;

/// <summary>
/// Blobs as files under one root: <c>sha256/ab/abcd…</c> holds complete blobs, <c>incoming/</c>
/// the ones being written. Both live on the same file system, so publishing a blob is one atomic
/// rename of a file that was already flushed to disk.
/// </summary>
public sealed class FileSystemBlobStore : IBlobStore
{
    // A file left in incoming/ this long ago belongs to a writer that died; younger ones may still be written.
    private static readonly TimeSpan s_abandonedAfter = TimeSpan.FromDays(1);

    private readonly string _blobsPath;
    private readonly string _incomingPath;

    public FileSystemBlobStore(string rootPath)
    {
        RootPath = Path.GetFullPath(rootPath);
        _blobsPath = Directory.CreateDirectory(Path.Combine(RootPath, "sha256")).FullName;
        _incomingPath = Directory.CreateDirectory(Path.Combine(RootPath, "incoming")).FullName;
        DeleteAbandonedWrites();
    }

    public string RootPath { get; }

    public ValueTask<IBlobWriter> StartWriteAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IBlobWriter>(new FileSystemBlobWriter(
            Path.Combine(_incomingPath, $"{Guid.NewGuid():N}.part"), PathOf));

    public ValueTask<long?> GetLengthAsync(ContentHash hash, CancellationToken cancellationToken = default)
    {
        var file = new FileInfo(PathOf(hash));
        return ValueTask.FromResult(file.Exists ? file.Length : (long?)null);
    }

    public ValueTask<Stream> OpenReadAsync(ContentHash hash, long offset = 0, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        FileStream stream;
        try
        {
            // Readers ask for large chunks, so the stream's own buffer would only add a copy.
            stream = new FileStream(PathOf(hash), FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0,
                FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (FileNotFoundException)
        {
            throw new BlobNotFoundException(hash);
        }
        catch (DirectoryNotFoundException)
        {
            throw new BlobNotFoundException(hash);
        }

        stream.Position = offset;
        return ValueTask.FromResult<Stream>(stream);
    }

    /// <summary>Two levels keep directories small however many blobs there are.</summary>
    internal string PathOf(ContentHash hash) => Path.Combine(_blobsPath, hash.Hex[..2], hash.Hex);

    private void DeleteAbandonedWrites()
    {
        foreach (var file in new DirectoryInfo(_incomingPath).EnumerateFiles("*.part"))
        {
            if (DateTime.UtcNow - file.LastWriteTimeUtc > s_abandonedAfter)
            {
                file.Delete();
            }
        }
    }
}
