namespace MlPlatform.Datasets.Csv;

/// <summary>One record's fields as UTF-8, quotes removed; valid only while the handler runs.</summary>
internal readonly ref struct CsvRecord
{
    private readonly ReadOnlySpan<byte> _text;
    private readonly ReadOnlySpan<int> _fieldEnds;

    public CsvRecord(ReadOnlySpan<byte> text, ReadOnlySpan<int> fieldEnds, long line)
    {
        _text = text;
        _fieldEnds = fieldEnds;
        Line = line;
    }

    public int FieldCount => _fieldEnds.Length;

    /// <summary>The line the record starts on, counting from 1.</summary>
    public long Line { get; }

    public ReadOnlySpan<byte> this[int index] => _text[(index == 0 ? 0 : _fieldEnds[index - 1]).._fieldEnds[index]];
}

/// <summary>Receives each record as soon as the parser has all of it.</summary>
internal interface ICsvRecordHandler
{
    void OnRecord(CsvRecord record);
}
