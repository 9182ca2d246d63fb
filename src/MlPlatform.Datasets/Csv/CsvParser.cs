using System.Buffers;
using MlPlatform.Datasets.Profiling;

namespace MlPlatform.Datasets.Csv;

/// <summary>
/// An RFC 4180 parser fed with bytes as they arrive, in chunks split anywhere, that hands each
/// complete record to a handler. Memory is bounded by the longest record, not the file.
/// Quoted fields, doubled quotes, line breaks inside quotes, CRLF or LF, a UTF-8 byte order mark
/// and blank lines (skipped) are accepted; invalid UTF-8, stray quotes and unclosed quoted fields
/// are errors that say where they are, because guessing would silently corrupt the data.
/// </summary>
/// <remarks>
/// Written here rather than taken from a CSV library because those pull from a reader, decode to
/// UTF-16 and replace invalid bytes, while an upload pushes raw chunks and must name the byte
/// offset of bad input. Scanning for the next special byte is vectorised (<see cref="SearchValues{T}"/>).
/// A record that lies wholly in one chunk and needs no unescaping — nearly every record — is
/// handed over in place; any other goes through the general state machine, which copies its
/// fields once, into a pooled record buffer.
/// </remarks>
internal sealed class CsvParser : IDisposable
{
    public const int MaxRecordBytes = 16 << 20;
    public const int MaxFields = 4096;

    private const byte Quote = (byte)'"';
    private const byte Cr = (byte)'\r';
    private const byte Lf = (byte)'\n';

    private readonly byte _delimiter;
    private readonly SearchValues<byte> _unquotedStops;
    private readonly ICsvRecordHandler _handler;
    private readonly Utf8Validator _utf8 = new();

    private byte[] _record = ArrayPool<byte>.Shared.Rent(64 << 10);
    private int _recordLength;

    // Where each field starts and ends in the record's text, two entries a field.
    private int[] _fieldBounds = ArrayPool<int>.Shared.Rent(128);
    private int _fieldCount;

    private State _state = State.FileStart;
    private int _byteOrderMarkMatched;
    private long _offset;
    private long _line = 1;
    private long _recordLine;
    private long _quoteLine;

    public CsvParser(byte delimiter, ICsvRecordHandler handler)
    {
        _delimiter = delimiter;
        _unquotedStops = SearchValues.Create(delimiter, Quote, Cr, Lf);
        _handler = handler;
    }

    private enum State
    {
        FileStart,
        RecordStart,
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
        AfterCr,
    }

    private static ReadOnlySpan<byte> ByteOrderMark => [0xEF, 0xBB, 0xBF];

    /// <exception cref="InvalidDatasetException">The bytes so far are not valid CSV.</exception>
    public void Parse(ReadOnlySpan<byte> chunk)
    {
        if (_utf8.Validate(chunk, _offset) is { } invalid)
        {
            throw NotUtf8(invalid, _line + chunk[..(int)Math.Max(0, invalid - _offset)].Count(Lf));
        }

        var start = 0;
        if (_state == State.FileStart)
        {
            start = SkipByteOrderMark(chunk);
        }

        ParseCore(chunk[start..], _offset + start);
        _offset += chunk.Length;
    }

    /// <summary>Called after the last chunk: finishes a last record that has no line break.</summary>
    /// <exception cref="InvalidDatasetException">The file ends inside a character or a quoted field.</exception>
    public void Complete()
    {
        if (_utf8.Complete() is { } invalid)
        {
            throw NotUtf8(invalid, _line);
        }

        // A file that ends inside a byte order mark failed the UTF-8 check above.
        switch (_state)
        {
            case State.Quoted:
                throw new InvalidDatasetException(
                    $"The quoted field that starts on line {_quoteLine} is never closed: the file ends inside it.");
            case State.FieldStart or State.Unquoted or State.QuoteInQuoted:
                EndField();
                EndRecord();
                break;
        }
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_record);
        ArrayPool<int>.Shared.Return(_fieldBounds);
        _record = [];
        _fieldBounds = [];
    }

    /// <summary>Returns how many bytes at the start of the chunk belong to a byte order mark.</summary>
    private int SkipByteOrderMark(ReadOnlySpan<byte> chunk)
    {
        var matched = 0;
        while (matched < chunk.Length && _byteOrderMarkMatched < ByteOrderMark.Length
               && chunk[matched] == ByteOrderMark[_byteOrderMarkMatched])
        {
            matched++;
            _byteOrderMarkMatched++;
        }

        if (_byteOrderMarkMatched < ByteOrderMark.Length && matched == chunk.Length)
        {
            return matched; // the chunk ended inside what may still be a byte order mark
        }

        _state = State.RecordStart;
        if (_byteOrderMarkMatched == ByteOrderMark.Length)
        {
            return matched;
        }

        // Not a byte order mark after all: bytes matched in earlier chunks are data, and so is this chunk.
        ParseCore(ByteOrderMark[..(_byteOrderMarkMatched - matched)], 0);
        return 0;
    }

    private void ParseCore(ReadOnlySpan<byte> data, long dataOffset)
    {
        var i = 0;
        while (i < data.Length)
        {
            switch (_state)
            {
                case State.RecordStart:
                    if (data[i] is Cr or Lf)
                    {
                        i = LineBreak(data, i); // a blank line
                    }
                    else if (!TryParseRecordInPlace(data, ref i))
                    {
                        _recordLine = _line;
                        _state = State.FieldStart;
                    }

                    break;

                case State.FieldStart:
                    if (data[i] == Quote)
                    {
                        _quoteLine = _line;
                        _state = State.Quoted;
                        i++;
                    }
                    else
                    {
                        _state = State.Unquoted;
                    }

                    break;

                case State.Unquoted:
                    {
                        var rest = data[i..];
                        var stop = rest.IndexOfAny(_unquotedStops);
                        if (stop < 0)
                        {
                            Append(rest);
                            i = data.Length;
                            break;
                        }

                        Append(rest[..stop]);
                        i += stop;
                        i = EndUnquotedField(data, i, dataOffset);
                        break;
                    }

                case State.Quoted:
                    {
                        var rest = data[i..];
                        var quote = rest.IndexOf(Quote);
                        var text = quote < 0 ? rest : rest[..quote];
                        Append(text);
                        _line += text.Count(Lf);
                        if (quote < 0)
                        {
                            i = data.Length;
                        }
                        else
                        {
                            i += quote + 1;
                            _state = State.QuoteInQuoted;
                        }

                        break;
                    }

                case State.QuoteInQuoted:
                    if (data[i] == Quote)
                    {
                        Append([Quote]); // "" inside quotes is one quote
                        _state = State.Quoted;
                        i++;
                    }
                    else if (data[i] == _delimiter || data[i] is Cr or Lf)
                    {
                        i = EndUnquotedField(data, i, dataOffset);
                    }
                    else
                    {
                        throw new InvalidDatasetException(
                            $"Line {_line}, byte offset {dataOffset + i}: a quoted field must end at a delimiter or a line break, "
                            + "but the closing quote is followed by more text. Double a quote that belongs inside the field.");
                    }

                    break;

                case State.AfterCr:
                    if (data[i] == Lf)
                    {
                        i++;
                    }

                    _state = State.RecordStart;
                    break;
            }
        }
    }

    /// <summary>
    /// Hands over the record that starts at <paramref name="i"/> without copying it, if it ends in
    /// this chunk and has neither doubled quotes nor errors; otherwise consumes nothing and returns
    /// false, and the general path parses the record (and reports its errors).
    /// </summary>
    private bool TryParseRecordInPlace(ReadOnlySpan<byte> data, ref int i)
    {
        var position = i;
        var fields = 0;
        long lines = 0;
        while (true)
        {
            if (2 * fields == _fieldBounds.Length)
            {
                if (fields == MaxFields)
                {
                    return false;
                }

                Grow(ref _fieldBounds, 2 * MaxFields);
            }

            int start, end;
            if (data[position] == Quote)
            {
                start = position + 1;
                var close = data[start..].IndexOf(Quote);
                if (close < 0)
                {
                    return false;
                }

                end = start + close;
                position = end + 1;
                if (position == data.Length || (data[position] != _delimiter && data[position] is not (Cr or Lf)))
                {
                    return false; // a doubled quote, text after the closing quote, or the chunk's end
                }

                lines += data[start..end].Count(Lf);
            }
            else
            {
                start = position;
                var stop = data[position..].IndexOfAny(_unquotedStops);
                if (stop < 0 || data[position + stop] == Quote)
                {
                    return false;
                }

                end = position += stop;
            }

            _fieldBounds[2 * fields] = start - i;
            _fieldBounds[(2 * fields) + 1] = end - i;
            fields++;
            if (data[position] == _delimiter)
            {
                position++;
                if (position == data.Length)
                {
                    return false;
                }

                continue;
            }

            if (position - i > MaxRecordBytes)
            {
                return false;
            }

            _handler.OnRecord(new CsvRecord(data[i..position], _fieldBounds.AsSpan(0, 2 * fields), _line));
            _line += lines + 1;
            _state = data[position] == Cr ? State.AfterCr : State.RecordStart;
            i = position + 1;
            return true;
        }
    }

    /// <summary>At a delimiter, line break or quote after a field's text; returns where parsing continues.</summary>
    private int EndUnquotedField(ReadOnlySpan<byte> data, int i, long dataOffset)
    {
        var stop = data[i];
        if (stop == _delimiter)
        {
            EndField();
            _state = State.FieldStart;
            return i + 1;
        }

        if (stop == Quote)
        {
            throw new InvalidDatasetException(
                $"Line {_line}, byte offset {dataOffset + i}: a quote inside an unquoted field. "
                + "Enclose the whole field in quotes and double the quotes inside it.");
        }

        EndField();
        EndRecord();
        return LineBreak(data, i);
    }

    private int LineBreak(ReadOnlySpan<byte> data, int i)
    {
        _line++;
        _state = data[i] == Cr ? State.AfterCr : State.RecordStart;
        return i + 1;
    }

    private void Append(ReadOnlySpan<byte> text)
    {
        while (_recordLength + text.Length > _record.Length)
        {
            if (_recordLength + text.Length > MaxRecordBytes)
            {
                throw new InvalidDatasetException(
                    $"The record that starts on line {_recordLine} is longer than {MaxRecordBytes >> 20} MiB; is a quote missing?");
            }

            Grow(ref _record, MaxRecordBytes);
        }

        text.CopyTo(_record.AsSpan(_recordLength));
        _recordLength += text.Length;
    }

    private void EndField()
    {
        if (2 * _fieldCount == _fieldBounds.Length)
        {
            if (_fieldCount == MaxFields)
            {
                throw new InvalidDatasetException($"The record that starts on line {_recordLine} has more than {MaxFields} fields.");
            }

            Grow(ref _fieldBounds, 2 * MaxFields);
        }

        // Fields follow one another in the record buffer.
        _fieldBounds[2 * _fieldCount] = _fieldCount == 0 ? 0 : _fieldBounds[(2 * _fieldCount) - 1];
        _fieldBounds[(2 * _fieldCount) + 1] = _recordLength;
        _fieldCount++;
    }

    private void EndRecord()
    {
        _handler.OnRecord(new CsvRecord(_record.AsSpan(0, _recordLength), _fieldBounds.AsSpan(0, 2 * _fieldCount), _recordLine));
        _recordLength = 0;
        _fieldCount = 0;
    }

    /// <summary>Doubles the buffer, up to <paramref name="limit"/> elements.</summary>
    private static void Grow<T>(ref T[] buffer, int limit)
    {
        var grown = ArrayPool<T>.Shared.Rent(Math.Min(limit, 2 * buffer.Length));
        buffer.CopyTo(grown, 0);
        ArrayPool<T>.Shared.Return(buffer);
        buffer = grown;
    }

    private static InvalidDatasetException NotUtf8(long offset, long line) =>
        new($"The file is not valid UTF-8: byte offset {offset} (line {line}) starts an invalid byte sequence. Save the file as UTF-8.");
}
