using System.Security.Claims;

namespace MlPlatform.Hosting.EventStore;

/// <summary>Who made a change: the API key the gateway authenticated, or the system itself.</summary>
public sealed record Actor(string Id, string Name)
{
    public const string IdHeader = "actor_id";
    public const string NameHeader = "actor_name";

    public static readonly Actor Anonymous = new("anonymous", "anonymous");

    public static Actor From(ClaimsPrincipal? user) =>
        user?.Identity?.IsAuthenticated == true
            ? new Actor(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "unknown", user.Identity.Name ?? "unknown")
            : Anonymous;
}
