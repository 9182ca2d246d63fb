using System.Security.Claims;
using System.Threading.RateLimiting;
using Grpc.Core;
using MlPlatform.Hosting.Security;

namespace MlPlatform.Gateway.Security;

/// <summary>
/// A token bucket per API key (<see cref="RateLimitOptions"/>). Over the limit a call is refused at
/// once with <c>ResourceExhausted</c> (gRPC) or 429 (REST), and <c>Retry-After</c> says when to try again.
/// Unauthenticated calls are not counted: they are refused before they cost anything downstream.
/// </summary>
internal static class RateLimiting
{
    public static IServiceCollection AddPerKeyRateLimits(this IServiceCollection services, RateLimitOptions options) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                context.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } keyId
                    ? RateLimitPartition.GetTokenBucketLimiter(keyId, _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = options.TokenLimit,
                        TokensPerPeriod = options.TokensPerPeriod,
                        ReplenishmentPeriod = options.ReplenishmentPeriod,
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    })
                    : RateLimitPartition.GetNoLimiter(""));
            limiter.OnRejected = (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : options.ReplenishmentPeriod;
                return new ValueTask(CallRefusals.WriteAsync(
                    context.HttpContext,
                    StatusCode.ResourceExhausted,
                    $"This API key is over its rate limit ({options.TokensPerPeriod} calls per {options.ReplenishmentPeriod.TotalSeconds:0.###} s); retry after the time in Retry-After.",
                    retryAfter));
            };
        });
}
