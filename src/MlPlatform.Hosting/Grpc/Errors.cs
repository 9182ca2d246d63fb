using Grpc.Core;

namespace MlPlatform.Hosting.Grpc;

/// <summary>Short ways to fail a call with the right status and a message a person can act on.</summary>
public static class Errors
{
    public static RpcException InvalidArgument(string message) => new(new Status(StatusCode.InvalidArgument, message));

    public static RpcException NotFound(string message) => new(new Status(StatusCode.NotFound, message));

    public static RpcException AlreadyExists(string message) => new(new Status(StatusCode.AlreadyExists, message));

    public static RpcException FailedPrecondition(string message) => new(new Status(StatusCode.FailedPrecondition, message));

    public static RpcException Aborted(string message) => new(new Status(StatusCode.Aborted, message));

    public static RpcException ResourceExhausted(string message) => new(new Status(StatusCode.ResourceExhausted, message));

    public static RpcException DataLoss(string message) => new(new Status(StatusCode.DataLoss, message));
}
