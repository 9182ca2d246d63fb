using Microsoft.Extensions.Logging;

namespace MlPlatform.AppHost.Infrastructure;

/// <summary>What data-directory preparation writes to the <c>postgres</c> resource's log in the dashboard.</summary>
internal static partial class PostgresLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Initialising the PostgreSQL data directory {DataDirectory}")]
    public static partial void Initialising(ILogger logger, string dataDirectory);

    [LoggerMessage(Level = LogLevel.Information, Message = "initdb: {Output}")]
    public static partial void InitDbOutput(ILogger logger, string output);

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "Removing stale {PidFile} (process {Pid} is not a postmaster serving this directory)")]
    public static partial void RemovingStalePidFile(ILogger logger, string pidFile, string? pid);
}
