using System.Globalization;
using System.Text.Json;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace MlPlatform.Hosting.Security;

/// <summary>
/// Refuses a call before it reaches a handler, in the caller's protocol: a trailers-only gRPC
/// response (HTTP 200, <c>grpc-status</c> in the headers), or for REST the HTTP status with the same
/// JSON error body gRPC JSON transcoding writes (<c>{ code, message }</c>).
/// </summary>
public static class CallRefusals
{
    public static bool IsGrpc(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.ContentType is { } type && type.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Writes the refusal; the message must be ASCII without '%' (it goes into a header unencoded).</summary>
    public static Task WriteAsync(HttpContext context, StatusCode code, string message, TimeSpan? retryAfter = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.Response;
        if (response.HasStarted)
        {
            context.Abort();
            return Task.CompletedTask;
        }

        response.Clear();
        if (retryAfter is { } wait)
        {
            response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        if (IsGrpc(context.Request))
        {
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/grpc";
            response.Headers["grpc-status"] = ((int)code).ToString(CultureInfo.InvariantCulture);
            response.Headers["grpc-message"] = message;
            return Task.CompletedTask;
        }

        response.StatusCode = HttpStatus(code);
        if (code == StatusCode.Unauthenticated)
        {
            response.Headers.WWWAuthenticate = "Bearer";
        }

        response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(response.Body, new ErrorBody((int)code, message), ErrorBodyContext.Default.ErrorBody, context.RequestAborted);
    }

    /// <summary>The HTTP status gRPC JSON transcoding uses for a gRPC status.</summary>
    public static int HttpStatus(StatusCode code) => code switch
    {
        StatusCode.Unauthenticated => StatusCodes.Status401Unauthorized,
        StatusCode.PermissionDenied => StatusCodes.Status403Forbidden,
        StatusCode.ResourceExhausted => StatusCodes.Status429TooManyRequests,
        StatusCode.InvalidArgument => StatusCodes.Status400BadRequest,
        StatusCode.NotFound => StatusCodes.Status404NotFound,
        StatusCode.DeadlineExceeded => StatusCodes.Status504GatewayTimeout,
        StatusCode.Unavailable => StatusCodes.Status503ServiceUnavailable,
        StatusCode.Cancelled => 499,
        _ => StatusCodes.Status500InternalServerError,
    };
}

internal sealed record ErrorBody(int Code, string Message);

[System.Text.Json.Serialization.JsonSerializable(typeof(ErrorBody))]
[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class ErrorBodyContext : System.Text.Json.Serialization.JsonSerializerContext;
