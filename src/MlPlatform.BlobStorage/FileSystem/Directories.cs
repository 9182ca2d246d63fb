using System.Runtime.InteropServices;

namespace MlPlatform.BlobStorage.FileSystem;

/// <summary>fsync for directories, which .NET cannot open as files.</summary>
internal static partial class Directories
{
    private const int ReadOnly = 0; // O_RDONLY

    /// <summary>Makes the directory's entries (a rename into it) durable. A no-op on Windows, whose file systems journal renames themselves.</summary>
    public static void FlushToDisk(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var descriptor = Open(path, ReadOnly);
        if (descriptor < 0)
        {
            throw new IOException($"Could not open the directory {path} to flush it: errno {Marshal.GetLastPInvokeError()}.");
        }

        try
        {
            if (Fsync(descriptor) != 0)
            {
                throw new IOException($"Could not flush the directory {path} to disk: errno {Marshal.GetLastPInvokeError()}.");
            }
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int descriptor);
}
