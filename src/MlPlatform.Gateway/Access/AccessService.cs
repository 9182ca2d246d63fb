using System.Security.Claims;
using Grpc.Core;
using MlPlatform.Api.Access.V1;

namespace MlPlatform.Gateway.Access;

/// <summary>Identity and API keys, answered by the gateway itself.</summary>
public sealed class AccessService : MlPlatform.Api.Access.V1.Access.AccessBase
{
    public override Task<WhoAmIResponse> WhoAmI(WhoAmIRequest request, ServerCallContext context)
    {
        var user = context.GetHttpContext().User;
        if (user.Identity?.IsAuthenticated != true)
        {
            return Task.FromResult(new WhoAmIResponse { KeyId = "anonymous", Name = "anonymous" });
        }

        return Task.FromResult(new WhoAmIResponse
        {
            KeyId = user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "",
            Name = user.Identity.Name ?? "",
            Role = user.FindFirstValue(ClaimTypes.Role) ?? "",
        });
    }
}
