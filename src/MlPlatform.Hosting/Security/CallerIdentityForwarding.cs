using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MlPlatform.Hosting.Security;

public static class CallerIdentityForwarding
{
    /// <summary>
    /// Calls this client makes while serving a request carry that request's gateway-signed
    /// identity on, so the service called sees the same actor (the token is short-lived, and the
    /// onward call happens within the request).
    /// </summary>
    public static IHttpClientBuilder ForwardCallerIdentity(this IHttpClientBuilder client)
    {
        client.Services.AddHttpContextAccessor();
        client.Services.AddTransient<ForwardCallerIdentityHandler>();
        return client.AddHttpMessageHandler<ForwardCallerIdentityHandler>();
    }

    private sealed class ForwardCallerIdentityHandler(IHttpContextAccessor http) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (http.HttpContext?.Request.Headers[PlatformIdentity.Header] is [{ Length: > 0 } identity]
                && !request.Headers.Contains(PlatformIdentity.Header))
            {
                request.Headers.TryAddWithoutValidation(PlatformIdentity.Header, identity);
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
