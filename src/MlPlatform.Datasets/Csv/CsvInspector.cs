using System.Text;
using MlPlatform.Datasets.Profiling;

namespace MlPlatform.Datasets.Csv;

/// <summary>Reads a CSV upload: the first record names the columns, every later one is profiled.</summary>
internal sealed class CsvInspector : IDatasetInspector, ICsvRecordHandler
{
    private readonly CsvParser _parser;
    private ColumnProfiler[]? _columns;
    private long _rows;

    public CsvInspector(byte delimiter) => _parser = new CsvParser(delimiter, this);

    public void Inspect(ReadOnlySpan<byte> chunk) => _parser.Parse(chunk);

    public DatasetSummary Complete()
    {
        _parser.Complete();
        if (_columns is null)
        {
            throw new InvalidDatasetException("The file is empty: a CSV file needs a header row and at least one data row.");
        }

        if (_rows == 0)
        {
            throw new InvalidDatasetException("The file has a header row but no data rows.");
        }

        return new DatasetSummary(_rows, [.. _columns.Select(column => column.Summarize())]);
    }

    public void Dispose() => _parser.Dispose();

    void ICsvRecordHandler.OnRecord(CsvRecord record)
    {
        if (_columns is null)
        {
            _columns = ReadHeader(record);
            return;
        }

        if (record.FieldCount != _columns.Length)
        {
            throw new InvalidDatasetException(
                $"Data row {_rows + 1} (line {record.Line}) has {record.FieldCount} field{(record.FieldCount == 1 ? "" : "s")}, "
                + $"but the header has {_columns.Length}.");
        }

        for (var i = 0; i < _columns.Length; i++)
        {
            _columns[i].Add(record[i]);
        }

        _rows++;
    }

    private static ColumnProfiler[] ReadHeader(CsvRecord header)
    {
        var columns = new ColumnProfiler[header.FieldCount];
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < columns.Length; i++)
        {
            var name = Encoding.UTF8.GetString(header[i]);
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new InvalidDatasetException($"Column {i + 1} of the header row has no name; every column needs one.");
            }

            if (!seen.TryAdd(name, i + 1))
            {
                throw new InvalidDatasetException(
                    $"The header row names two columns '{name}' (columns {seen[name]} and {i + 1}); column names must be unique.");
            }

            columns[i] = new ColumnProfiler(name);
        }

        return columns;
    }
}
