using Grpc.Core;
using Grpc.Core.Interceptors;
using JasperFx;
using Marten.Exceptions;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MlPlatform.Hosting.Grpc;

/// <summary>
/// Turns failures that escape a handler into gRPC statuses a caller can act on. Concurrency
/// conflicts become <c>Aborted</c> (read again, retry); a database that cannot be reached, is
/// restarting or is overloaded becomes <c>Unavailable</c> (retry later, as gRPC retry policies do),
/// one out of disk space <c>ResourceExhausted</c> (no retry helps until space is freed);
/// anything unexpected becomes <c>Internal</c> with a generic message — the details go to the log,
/// never to the caller.
/// </summary>
internal sealed partial class ErrorInterceptor(ILogger<ErrorInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception ex) when (Translate(ex, context) is { } status)
        {
            throw status;
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(requestStream, context);
        }
        catch (Exception ex) when (Translate(ex, context) is { } status)
        {
            throw status;
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception ex) when (Translate(ex, context) is { } status)
        {
            throw status;
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(requestStream, responseStream, context);
        }
        catch (Exception ex) when (Translate(ex, context) is { } status)
        {
            throw status;
        }
    }

    /// <summary>Null leaves the exception as it is (an RpcException already says what it means).</summary>
    private RpcException? Translate(Exception exception, ServerCallContext context)
    {
        var database = FindTransientDatabaseError(exception);
        switch (exception)
        {
            case RpcException:
                return null;
            case ExistingStreamIdCollisionException:
                return new RpcException(new Status(StatusCode.AlreadyExists, "It already exists."));
            case ConcurrencyException:
            case Exception when database is PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected }:
                return new RpcException(new Status(StatusCode.Aborted, "Another change to the same resource committed first; read it again and retry."));
            case OperationCanceledException when context.CancellationToken.IsCancellationRequested:
                return new RpcException(new Status(StatusCode.Cancelled, "The call was cancelled."));
            case Exception when database is PostgresException { SqlState: PostgresErrorCodes.DiskFull }:
                // Transient to Npgsql, but no retry helps until someone frees space.
                LogDatabaseFull(logger, exception, context.Method);
                return new RpcException(new Status(
                    StatusCode.ResourceExhausted, $"The service's database is out of disk space (trace {TraceId}); the call can succeed once an operator frees space."));
            case Exception when database is not null:
                LogDatabaseOutage(logger, exception, context.Method);
                return new RpcException(new Status(
                    StatusCode.Unavailable, $"The service's database is unavailable or busy at the moment (trace {TraceId}); retry the call shortly."));
            default:
                LogUnhandled(logger, exception, context.Method);
                return new RpcException(new Status(StatusCode.Internal, $"The service failed to handle the call (trace {TraceId}); the error is in its log."));
        }
    }

    /// <summary>The call's trace, for the caller to quote and the operator to find in the logs.</summary>
    private static string? TraceId => System.Diagnostics.Activity.Current?.TraceId.ToString();

    /// <summary>
    /// Npgsql marks as transient the failures that retrying may cure: connection lost or refused, server
    /// shutting down, starting or out of resources, conflicting transactions. Marten may wrap them.
    /// A connection lost during a commit leaves its outcome unknown; the services' writes are safe to
    /// retry (a second create answers AlreadyExists, the same upload finds its version).
    /// </summary>
    private static NpgsqlException? FindTransientDatabaseError(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is NpgsqlException { IsTransient: true } transient)
            {
                return transient;
            }
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A transient database failure ended {Method}")]
    private static partial void LogDatabaseOutage(ILogger logger, Exception exception, string method);

    [LoggerMessage(Level = LogLevel.Error, Message = "The database is out of disk space, so {Method} failed; writes fail until an operator frees space")]
    private static partial void LogDatabaseFull(ILogger logger, Exception exception, string method);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error in {Method}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method);
}
