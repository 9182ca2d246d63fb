using MlPlatform.Hosting.Grpc;

namespace MlPlatform.Registry.Aliases;

internal static class CompareAndSet
{
    /// <summary>
    /// Aborted unless the alias points where the caller expects (0: nowhere). Runs under the
    /// model's stream lock, so of several concurrent changes expecting the same value exactly one
    /// passes.
    /// </summary>
    public static void Check(string model, string alias, int? current, int? expected)
    {
        if (expected is not { } wanted || (current ?? 0) == wanted)
        {
            return;
        }

        var now = current is { } version ? $"points at version {version}" : "is not set";
        var thought = wanted == 0 ? "not to be set" : $"to point at version {wanted}";
        throw Errors.Aborted(
            $"Alias '{alias}' of model '{model}' {now}, but the request expected it {thought}; nothing was changed. Read it again and retry.");
    }
}
