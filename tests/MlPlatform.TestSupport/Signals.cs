using System.Runtime.InteropServices;

namespace MlPlatform.TestSupport;

/// <summary>kill(2): .NET itself can only send SIGKILL, and only to a single process.</summary>
internal static partial class Signals
{
    public const int Interrupt = 2;
    public const int Kill = 9;
    public const int Terminate = 15;

    /// <summary>Sends a signal; a negative id means a whole process group. A process already gone is not an error.</summary>
    public static void Send(int processId, int signal) => _ = SysKill(processId, signal);

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int SysKill(int processId, int signal);
}
