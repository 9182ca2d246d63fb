using System.Globalization;
using MlPlatform.Hosting.Grpc;

namespace MlPlatform.Tracking.Metrics;

/// <summary>Where a page ended: the last point's step, chunk and index in the chunk.</summary>
internal readonly record struct Position(long Step, long ChunkId, int Index)
{
    public string ToToken() => Paging.Token(string.Create(CultureInfo.InvariantCulture, $"{Step}:{ChunkId}:{Index}"));

    public static Position? Parse(string token)
    {
        if (Paging.After(token) is not { } text)
        {
            return null;
        }

        var parts = text.Split(':');
        return parts.Length == 3
            && long.TryParse(parts[0], CultureInfo.InvariantCulture, out var step)
            && long.TryParse(parts[1], CultureInfo.InvariantCulture, out var chunkId)
            && int.TryParse(parts[2], CultureInfo.InvariantCulture, out var index)
                ? new Position(step, chunkId, index)
                : throw Errors.InvalidArgument("page_token is not one this service issued; pass the next_page_token of the previous response.");
    }
}
