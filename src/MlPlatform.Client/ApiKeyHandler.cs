using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace MlPlatform.Client;

/// <summary>Adds the configured API key to every call the typed clients make.</summary>
internal sealed class ApiKeyHandler(IOptions<MlPlatformClientOptions> options) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (options.Value.ApiKey is { Length: > 0 } apiKey)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
