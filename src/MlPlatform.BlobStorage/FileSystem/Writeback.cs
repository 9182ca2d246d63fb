using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace MlPlatform.BlobStorage.FileSystem;

/// <summary>Starts writing part of a file to disk without waiting for it, so that a later fsync has little left to do.</summary>
internal static partial class Writeback
{
    private const uint StartWriting = 2; // SYNC_FILE_RANGE_WRITE

    /// <summary>
    /// Asks Linux to start writing the range's dirty pages (sync_file_range(2)); elsewhere the fsync does it all.
    /// Only a head start that promises nothing: callers leave failures for the fsync to report.
    /// </summary>
    /// <returns>Whether the kernel took the request.</returns>
    public static bool Start(SafeFileHandle file, long offset, long length) =>
        OperatingSystem.IsLinux() && SyncFileRange(file, offset, length, StartWriting) == 0;

    [LibraryImport("libc", EntryPoint = "sync_file_range")]
    private static partial int SyncFileRange(SafeFileHandle file, long offset, long length, uint flags);
}
