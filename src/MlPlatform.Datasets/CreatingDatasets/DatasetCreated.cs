namespace MlPlatform.Datasets.CreatingDatasets;

public sealed record DatasetCreated(string Name, string Description, IReadOnlyDictionary<string, string> Tags, DateTimeOffset CreatedAt);
