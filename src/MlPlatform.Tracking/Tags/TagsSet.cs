namespace MlPlatform.Tracking.Tags;

public sealed record TagsSet(IReadOnlyDictionary<string, string> Tags);
