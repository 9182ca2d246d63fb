using MlPlatform.BlobStorage;
using MlPlatform.Datasets.Csv;
using MlPlatform.Datasets.DatasetCatalog;
using MlPlatform.Datasets.Profiling;

namespace MlPlatform.Datasets.UploadingVersions;

/// <summary>What the client declared in the header, checked.</summary>
internal sealed record Upload(
    string Dataset,
    DatasetFormat Format,
    byte Delimiter,
    string Description,
    IReadOnlyDictionary<string, string> Tags,
    ContentHash? ExpectedSha256)
{
    public IDatasetInspector CreateInspector() => Format switch
    {
        DatasetFormat.Csv => new CsvInspector(Delimiter),
        _ => throw new InvalidOperationException($"No inspector reads {Format}."),
    };
}
