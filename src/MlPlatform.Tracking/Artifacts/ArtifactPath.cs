using MlPlatform.Hosting.Grpc;

namespace MlPlatform.Tracking.Artifacts;

internal static class ArtifactPath
{
    public const int MaxLength = 1024;

    /// <summary>
    /// A relative, '/'-separated path that stays inside the run: no leading '/', no '..' or '.'
    /// segments, no empty segments, no backslashes or control characters.
    /// </summary>
    public static string Validate(string path)
    {
        if (path.Length == 0)
        {
            throw Errors.InvalidArgument("path is required, e.g. model/model.zip.");
        }

        if (path.Length > MaxLength)
        {
            throw Errors.InvalidArgument($"path is {path.Length} characters long; the limit is {MaxLength}.");
        }

        if (path.StartsWith('/') || path.Contains('\\') || path.Any(char.IsControl)
            || path.Split('/').Any(segment => segment is "" or "." or ".."))
        {
            throw Errors.InvalidArgument(
                $"path '{path}' must be relative and stay inside the run: '/'-separated names, without a leading '/', '..', '.', empty segments or backslashes.");
        }

        return path;
    }
}
