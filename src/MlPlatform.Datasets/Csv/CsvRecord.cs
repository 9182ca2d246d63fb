namespace MlPlatform.Datasets.Csv;

/// <summary>One record's fields as UTF-8, quotes removed; valid only while the handler runs.</summary>
internal readonly ref struct CsvRecord
{
    private readonly ReadOnlySpan<byte> _text;
    private readonly ReadOnlySpan<int> _fieldBounds;

    /// <param name="fieldBounds">Each field's start and end in <paramref name="text"/>, two entries a field.</param>
    public CsvRecord(ReadOnlySpan<byte> text, ReadOnlySpan<int> fieldBounds, long line)
    {
        _text = text;
        _fieldBounds = fieldBounds;
        Line = line;
    }

    public int FieldCount => _fieldBounds.Length / 2;

    /// <summary>The line the record starts on, counting from 1.</summary>
    public long Line { get; }

    public ReadOnlySpan<byte> this[int index] => _text[_fieldBounds[2 * index].._fieldBounds[(2 * index) + 1]];
}

/// <summary>Receives each record as soon as the parser has all of it.</summary>
internal interface ICsvRecordHandler
{
    void OnRecord(CsvRecord record);
}
