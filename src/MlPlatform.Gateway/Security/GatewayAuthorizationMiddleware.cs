using System.Security.Claims;
using Grpc.Core;
using Microsoft.AspNetCore.Authentication;
using MlPlatform.Hosting.Security;

namespace MlPlatform.Gateway.Security;

/// <summary>
/// Decides every call at the gateway by <see cref="RpcPermissions"/>: gRPC by its path, REST by
/// the RPC its route is transcoded to. No valid key → <c>Unauthenticated</c> (401); a key whose
/// role is not allowed → <c>PermissionDenied</c> (403). Only the health endpoints are open.
/// </summary>
internal sealed class GatewayAuthorizationMiddleware(RequestDelegate next, RestRoutes restRoutes)
{
    private static readonly PathString[] s_open = ["/health", "/alive"];

    public Task InvokeAsync(HttpContext context)
    {
        var requestPath = context.Request.Path;
        if (s_open.Any(p => requestPath.StartsWithSegments(p)))
        {
            return next(context);
        }

        var user = context.User;
        if (user.Identity?.IsAuthenticated != true)
        {
            var failed = context.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult?.Failure is not null;
            return CallRefusals.WriteAsync(context, StatusCode.Unauthenticated, failed
                ? "The API key is not valid: it is unknown, revoked or expired."
                : "An API key is required: send 'Authorization: Bearer mlp_...' or 'x-api-key: mlp_...'.");
        }

        var role = RoleNames.Parse(user.FindFirstValue(ClaimTypes.Role));
        var path = context.Request.Path.Value ?? "/";
        if (CallRefusals.IsGrpc(context.Request))
        {
            var rpc = path.AsSpan(1);
            var allowed = RpcPermissions.For(rpc);
            return (allowed & role) != 0 ? next(context) : Deny(context, rpc.ToString(), allowed);
        }

        // REST: the RPCs the route is transcoded to (the caller must be allowed all of them); a path
        // nothing declares counts as an unknown RPC, for admins only.
        var any = false;
        foreach (var rpc in restRoutes.Match(context.Request.Method, path))
        {
            any = true;
            var allowed = RpcPermissions.For(rpc);
            if ((allowed & role) == 0)
            {
                return Deny(context, rpc, allowed);
            }
        }

        return any || (RpcPermissions.Unknown & role) != 0 ? next(context) : Deny(context, $"{context.Request.Method} {path}", RpcPermissions.Unknown);
    }

    private static Task Deny(HttpContext context, string rpc, Roles allowed) =>
        CallRefusals.WriteAsync(context, StatusCode.PermissionDenied,
            $"Role '{context.User.FindFirstValue(ClaimTypes.Role)}' may not call {rpc}; it needs one of: {string.Join(", ", RoleNames.Names(allowed))}.");
}
