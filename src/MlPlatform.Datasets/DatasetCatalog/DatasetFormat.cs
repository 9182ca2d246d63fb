using System.Text.Json.Serialization;

namespace MlPlatform.Datasets.DatasetCatalog;

/// <summary>File formats a version can be uploaded in; each has its own <see cref="Profiling.IDatasetInspector"/>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DatasetFormat>))]
public enum DatasetFormat
{
    Csv,
}
