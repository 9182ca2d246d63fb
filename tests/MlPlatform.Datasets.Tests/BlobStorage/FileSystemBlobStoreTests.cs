using System.Security.Cryptography;
using MlPlatform.BlobStorage;
using MlPlatform.BlobStorage.FileSystem;

namespace MlPlatform.Datasets.Tests.BlobStorage;

public sealed class FileSystemBlobStoreTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("blobs-").FullName;
    private readonly FileSystemBlobStore _store;

    public FileSystemBlobStoreTests() => _store = new FileSystemBlobStore(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_blob_is_stored_under_the_sha256_of_its_content()
    {
        var content = RandomNumberGenerator.GetBytes(100_000);

        var blob = await _store.PutAsync(new MemoryStream(content), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), blob.Hash.Hex);
        Assert.Equal(content.Length, await _store.GetLengthAsync(blob.Hash, TestContext.Current.CancellationToken));
        await using var stored = await _store.OpenReadAsync(blob.Hash, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(content, await ReadAllAsync(stored));
    }

    [Fact]
    public async Task A_blob_is_invisible_until_it_is_completed()
    {
        var content = RandomNumberGenerator.GetBytes(1000);
        var hash = ContentHash.FromSha256(SHA256.HashData(content));

        await using var writer = await _store.StartWriteAsync(TestContext.Current.CancellationToken);
        await writer.WriteAsync(content, TestContext.Current.CancellationToken);
        Assert.Null(await _store.GetLengthAsync(hash, TestContext.Current.CancellationToken));

        await writer.CompleteAsync(cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(1000, await _store.GetLengthAsync(hash, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task An_abandoned_write_leaves_no_file_behind()
    {
        await using (var writer = await _store.StartWriteAsync(TestContext.Current.CancellationToken))
        {
            await writer.WriteAsync(new byte[1000], TestContext.Current.CancellationToken);
        }

        Assert.Empty(Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Content_that_does_not_match_the_expected_hash_is_discarded()
    {
        var expected = ContentHash.FromSha256(SHA256.HashData("other"u8));

        await Assert.ThrowsAsync<ContentHashMismatchException>(() =>
            _store.PutAsync(new MemoryStream([1, 2, 3]), expected, TestContext.Current.CancellationToken));

        Assert.Empty(Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Identical_content_is_stored_once()
    {
        var content = RandomNumberGenerator.GetBytes(1000);

        var first = await _store.PutAsync(new MemoryStream(content), cancellationToken: TestContext.Current.CancellationToken);
        var second = await _store.PutAsync(new MemoryStream(content), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(first, second);
        Assert.Single(Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_blob_larger_than_the_writeback_interval_is_stored_whole()
    {
        // Written in chunks that do not divide the interval, so each writeback range covers a different length.
        var content = RandomNumberGenerator.GetBytes((2 * FileSystemBlobWriter.WritebackInterval) + 12345);

        await using var writer = await _store.StartWriteAsync(TestContext.Current.CancellationToken);
        foreach (var chunk in content.Chunk(1_000_003))
        {
            await writer.WriteAsync(chunk, TestContext.Current.CancellationToken);
        }

        var blob = await writer.CompleteAsync(cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), blob.Hash.Hex);
        await using var stored = await _store.OpenReadAsync(blob.Hash, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(content, await ReadAllAsync(stored));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_root, "incoming")));
    }

    [Fact]
    public void The_kernel_takes_a_request_to_start_writing_a_file_out()
    {
        using var file = File.OpenHandle(Path.Combine(_root, "written.bin"), FileMode.CreateNew, FileAccess.Write);
        RandomAccess.Write(file, new byte[8192], 0);

        // Elsewhere than Linux there is no such request: the fsync at completion does all the writing.
        Assert.Equal(OperatingSystem.IsLinux(), Writeback.Start(file, 0, 8192));
    }

    [Fact]
    public void Flushing_a_directory_that_cannot_be_opened_is_an_error()
    {
        Directories.FlushToDisk(_root);

        Assert.Throws<IOException>(() => Directories.FlushToDisk(Path.Combine(_root, "missing")));
    }

    [Fact]
    public async Task A_blob_can_be_read_from_an_offset()
    {
        var blob = await _store.PutAsync(new MemoryStream([0, 1, 2, 3, 4, 5]), cancellationToken: TestContext.Current.CancellationToken);

        await using var rest = await _store.OpenReadAsync(blob.Hash, offset: 4, TestContext.Current.CancellationToken);

        Assert.Equal([4, 5], await ReadAllAsync(rest));
    }

    [Fact]
    public async Task Reading_a_missing_blob_says_it_is_missing()
    {
        var missing = ContentHash.FromSha256(SHA256.HashData("missing"u8));

        await Assert.ThrowsAsync<BlobNotFoundException>(async () => await _store.OpenReadAsync(missing, cancellationToken: TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("abc", false)]
    [InlineData("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855", true)]
    [InlineData("g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", false)]
    public void Content_hashes_are_64_hex_digits_in_either_case(string text, bool valid)
    {
        Assert.Equal(valid, ContentHash.TryParse(text, out var hash));
        Assert.Equal(valid ? text.ToLowerInvariant() : null, hash.Hex);
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }
}
