using Grpc.Core;
using MlPlatform.Api.Access.V1;

namespace MlPlatform.Gateway.Access;

/// <summary>Identity and API keys, answered by the gateway itself.</summary>
public sealed class AccessService : MlPlatform.Api.Access.V1.Access.AccessBase
{
    public override Task<WhoAmIResponse> WhoAmI(WhoAmIRequest request, ServerCallContext context)
    {
        var user = context.GetHttpContext().User;
        return Task.FromResult(user.Identity?.IsAuthenticated == true
            ? new WhoAmIResponse { KeyId = user.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value ?? "", Name = user.Identity.Name ?? "", Role = user.FindFirst(System.Security.Claims.ClaimTypes.Role)?.Value ?? "" }
            : new WhoAmIResponse { KeyId = "anonymous", Name = "anonymous", Role = "" });
    }
}
