using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;
using MlPlatform.Hosting.Security;
using Yarp.ReverseProxy.Forwarder;

namespace MlPlatform.Gateway.Routing;

/// <summary>
/// When YARP cannot complete a call it answers with a bare status (502, 504…), which a gRPC client
/// reports as "Bad gRPC response". This turns it into a gRPC status (or JSON error) a person can
/// act on — naming the service, never its internal address — and logs the details.
/// </summary>
internal static partial class ForwarderErrors
{
    public static IReverseProxyApplicationBuilder UseForwarderErrors(this IReverseProxyApplicationBuilder proxy)
    {
        proxy.Use(async (context, next) =>
        {
            await next();
            if (context.GetForwarderErrorFeature() is not { } error || context.Response.HasStarted)
            {
                return;
            }

            var service = context.GetReverseProxyFeature().Route.Config.ClusterId ?? "requested";
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("MlPlatform.Gateway.Forwarding");
            LogForwardingFailed(logger, error.Exception, error.Error, service);
            var (code, message) = error.Error switch
            {
                ForwarderError.RequestBodyClient when TooLarge(error.Exception) =>
                    (StatusCode.ResourceExhausted, $"The request is larger than this route allows ({context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize} bytes); stream large uploads."),
                ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.ResponseBodyCanceled =>
                    (StatusCode.Cancelled, "The call was cancelled."),
                ForwarderError.RequestTimedOut => (StatusCode.DeadlineExceeded, $"The {service} service did not answer in time."),
                ForwarderError.RequestBodyClient or ForwarderError.ResponseBodyClient => (StatusCode.Cancelled, "The caller stopped sending or receiving."),
                _ => (StatusCode.Unavailable, $"The {service} service is unavailable; try again shortly."),
            };
            await CallRefusals.WriteAsync(context, code, message);
        });
        return proxy;
    }

    private static bool TooLarge(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
            {
                return true;
            }
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Forwarding to {Service} failed: {Error}")]
    private static partial void LogForwardingFailed(ILogger logger, Exception? exception, ForwarderError error, string service);
}
