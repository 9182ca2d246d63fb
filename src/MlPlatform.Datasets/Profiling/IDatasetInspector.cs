namespace MlPlatform.Datasets.Profiling;

/// <summary>
/// Reads a dataset file as its bytes stream past — one pass, memory bounded by the widest row
/// rather than the file — and describes the table it holds. One implementation per file format.
/// </summary>
public interface IDatasetInspector : IDisposable
{
    /// <summary>The file's next bytes; chunks may split rows, fields and characters anywhere.</summary>
    /// <exception cref="InvalidDatasetException">The bytes so far are not a valid file of this format.</exception>
    void Inspect(ReadOnlySpan<byte> chunk);

    /// <summary>Called after the last chunk.</summary>
    /// <exception cref="InvalidDatasetException">The file is incomplete, empty or holds no rows.</exception>
    DatasetSummary Complete();
}
