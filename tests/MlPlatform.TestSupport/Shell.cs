namespace MlPlatform.TestSupport;

internal static class Shell
{
    /// <summary>Quotes a value for a POSIX shell command line.</summary>
    public static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
