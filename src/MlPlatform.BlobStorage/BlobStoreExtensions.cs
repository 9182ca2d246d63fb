using System.Buffers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MlPlatform.BlobStorage.FileSystem;

namespace MlPlatform.BlobStorage;

public static partial class BlobStoreExtensions
{
    /// <summary>The setting that names the folder blobs are kept in.</summary>
    public const string PathSetting = "MlPlatform:BlobStore:Path";

    /// <summary>
    /// Registers <see cref="IBlobStore"/> on the local file system, in the folder named by
    /// <c>MlPlatform:BlobStore:Path</c> (the AppHost passes a state folder), or <c>blobs</c> under
    /// the content root when none is set.
    /// </summary>
    public static IHostApplicationBuilder AddBlobStore(this IHostApplicationBuilder builder)
    {
        var path = builder.Configuration[PathSetting] is { Length: > 0 } configured
            ? configured
            : Path.Combine(builder.Environment.ContentRootPath, "blobs");
        builder.Services.AddSingleton<IBlobStore>(services =>
        {
            var store = new FileSystemBlobStore(path);
            var logger = services.GetRequiredService<ILogger<FileSystemBlobStore>>();
            LogLocation(logger, store.RootPath);
            return store;
        });
        return builder;
    }

    /// <summary>Stores everything <paramref name="content"/> holds as one blob.</summary>
    public static async Task<BlobInfo> PutAsync(
        this IBlobStore store, Stream content, ContentHash? expected = null, CancellationToken cancellationToken = default)
    {
        await using var writer = await store.StartWriteAsync(cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            int read;
            while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await writer.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return await writer.CompleteAsync(expected, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Blobs are stored in {BlobStorePath}")]
    private static partial void LogLocation(ILogger logger, string blobStorePath);
}
