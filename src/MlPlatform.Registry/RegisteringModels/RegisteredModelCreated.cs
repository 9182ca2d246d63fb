namespace MlPlatform.Registry.RegisteringModels;

public sealed record RegisteredModelCreated(string Name, string Description, IReadOnlyDictionary<string, string> Tags, DateTimeOffset CreatedAt);
