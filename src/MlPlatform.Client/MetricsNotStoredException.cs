namespace MlPlatform.Client;

/// <summary>
/// A background flush of an <see cref="ActiveRun"/> failed, so metric points logged to it were not
/// stored. <see cref="Exception.InnerException"/> is the error of the failed call (usually a
/// <c>Grpc.Core.RpcException</c>, e.g. <c>FailedPrecondition</c> when someone else ended the run).
/// </summary>
public sealed class MetricsNotStoredException : Exception
{
    internal MetricsNotStoredException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
