using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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
/// offset of bad input. A record that lies wholly in one chunk and needs no unescaping — nearly
/// every record — is handed over in place, its fields found with one vector compare per 64 bytes;
/// any other goes through the general state machine, which searches with
/// <see cref="SearchValues{T}"/> and copies the fields once, into a pooled record buffer.
/// </remarks>
internal sealed class CsvParser : IDisposable
{
    public const int MaxRecordBytes = 16 << 20;
    public const int MaxFields = 4096;

    private const byte Quote = (byte)'"';
    private const byte Cr = (byte)'\r';
    private const byte Lf = (byte)'\n';
    private const int StopBlock = 64; // bytes whose stops one ulong mask holds

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

    /// <summary>Where the in-place parser is in a quoted field.</summary>
    private enum Quotes
    {
        None,
        Open,
        Closed,
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
                    else
                    {
                        ParseRecordsInPlace(data, ref i);
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
    /// Hands over, without copying, each record from <paramref name="i"/> on that ends in this chunk
    /// and has neither doubled quotes nor errors, skipping the blank lines between them. Stops at
    /// the chunk's end or at the first record that does not qualify, which is left to the general
    /// path (that also reports the record's errors).
    /// </summary>
    /// <remarks>
    /// Rather than a vector search per field, which costs more to set up than the short field it
    /// searches, one vector compare marks the stop bytes (delimiter, quote, CR, LF) of 64 bytes in
    /// a bit mask, and the loop below takes the stops one by one from it. Not inlined, so that its
    /// state stays in registers.
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ParseRecordsInPlace(ReadOnlySpan<byte> data, ref int i)
    {
        var delimiter = _delimiter;
        var bounds = _fieldBounds;
        var recordStart = i;
        var fieldStart = i; // after the opening quote if the field is quoted
        var bound = 0; // the next free entry in bounds: twice the fields so far
        long lines = 0; // line breaks inside quotes in this record
        var quotes = Quotes.None;
        var closingQuote = 0;
        var afterCr = false;

        // The stops at block + k for the bits k of mask; bits of stops already taken are cleared.
        var block = i;
        var mask = Stops(data, block, delimiter);
        while (true)
        {
            while (mask == 0)
            {
                if (data.Length - block <= StopBlock)
                {
                    goto ChunkEnd;
                }

                block += StopBlock;
                mask = Stops(data, block, delimiter);
            }

            var stop = block + BitOperations.TrailingZeroCount(mask);
            mask &= mask - 1;
            var stopByte = data[stop];
            int fieldEnd;
            if (quotes == Quotes.None)
            {
                if (stopByte == delimiter && (uint)(bound + 1) < (uint)bounds.Length)
                {
                    // Most stops: the end of an unquoted field, with room for its bounds.
                    bounds[bound] = fieldStart - recordStart;
                    bounds[bound + 1] = stop - recordStart;
                    bound += 2;
                    fieldStart = stop + 1;
                    continue;
                }

                if (stopByte == Quote)
                {
                    if (stop != fieldStart)
                    {
                        goto NotInPlace; // a quote inside an unquoted field
                    }

                    quotes = Quotes.Open;
                    fieldStart = stop + 1;
                    continue;
                }

                if (stop == recordStart && stopByte != delimiter)
                {
                    // A blank line, or the LF of a CRLF that ended the line before.
                    if (!afterCr || stopByte == Cr)
                    {
                        _line++;
                    }

                    afterCr = stopByte == Cr;
                    recordStart = fieldStart = stop + 1;
                    continue;
                }

                fieldEnd = stop;
            }
            else if (quotes == Quotes.Open)
            {
                if (stopByte == Quote)
                {
                    quotes = Quotes.Closed;
                    closingQuote = stop;
                }
                else if (stopByte == Lf)
                {
                    lines++;
                }

                continue;
            }
            else
            {
                if (stop != closingQuote + 1 || stopByte == Quote)
                {
                    goto NotInPlace; // text after the closing quote, or a doubled quote
                }

                quotes = Quotes.None;
                fieldEnd = closingQuote;
            }

            if (bound == bounds.Length)
            {
                if (bound == 2 * MaxFields)
                {
                    goto NotInPlace;
                }

                Grow(ref _fieldBounds, 2 * MaxFields);
                bounds = _fieldBounds;
            }

            bounds[bound] = fieldStart - recordStart;
            bounds[bound + 1] = fieldEnd - recordStart;
            bound += 2;
            fieldStart = stop + 1;
            if (stopByte == delimiter)
            {
                continue;
            }

            if (stop - recordStart > MaxRecordBytes)
            {
                goto NotInPlace;
            }

            _handler.OnRecord(new CsvRecord(data[recordStart..stop], bounds.AsSpan(0, bound), _line));
            _line += lines + 1;
            lines = 0;
            bound = 0;
            afterCr = stopByte == Cr;
            recordStart = fieldStart = stop + 1;
        }

    ChunkEnd:
        if (recordStart == data.Length)
        {
            _state = afterCr ? State.AfterCr : State.RecordStart;
            i = recordStart;
            return;
        }

    NotInPlace: // the record at recordStart, or what the chunk has of it
        _recordLine = _line;
        _state = State.FieldStart;
        i = recordStart;
    }

    /// <summary>Bit k set where data[start + k] is a stop byte, for the (at most) 64 bytes from start.</summary>
    private static ulong Stops(ReadOnlySpan<byte> data, int start, byte delimiter)
    {
        if (data.Length >= StopBlock && Vector128.IsHardwareAccelerated)
        {
            // Near the end, the last 64 bytes are compared and the bits of those before start dropped.
            var load = Math.Min(start, data.Length - StopBlock);
            return Stops(ref MemoryMarshal.GetReference(data), (nuint)load, delimiter) >> (start - load);
        }

        ulong mask = 0;
        for (var k = Math.Min(data.Length - start, StopBlock) - 1; k >= 0; k--)
        {
            var b = data[start + k];
            mask = (mask << 1) | (b == delimiter || b is Quote or Cr or Lf ? 1UL : 0UL);
        }

        return mask;
    }

    private static ulong Stops(ref byte data, nuint start, byte delimiter)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            var bytes = Vector512.LoadUnsafe(ref data, start);
            return (Vector512.Equals(bytes, Vector512.Create(delimiter)) | Vector512.Equals(bytes, Vector512.Create(Quote))
                | Vector512.Equals(bytes, Vector512.Create(Cr)) | Vector512.Equals(bytes, Vector512.Create(Lf)))
                .ExtractMostSignificantBits();
        }

        if (Vector256.IsHardwareAccelerated)
        {
            return Stops256(ref data, start, delimiter) | ((ulong)Stops256(ref data, start + 32, delimiter) << 32);
        }

        return Stops128(ref data, start, delimiter) | ((ulong)Stops128(ref data, start + 16, delimiter) << 16)
            | ((ulong)Stops128(ref data, start + 32, delimiter) << 32) | ((ulong)Stops128(ref data, start + 48, delimiter) << 48);
    }

    private static uint Stops256(ref byte data, nuint start, byte delimiter)
    {
        var bytes = Vector256.LoadUnsafe(ref data, start);
        return (Vector256.Equals(bytes, Vector256.Create(delimiter)) | Vector256.Equals(bytes, Vector256.Create(Quote))
            | Vector256.Equals(bytes, Vector256.Create(Cr)) | Vector256.Equals(bytes, Vector256.Create(Lf)))
            .ExtractMostSignificantBits();
    }

    private static uint Stops128(ref byte data, nuint start, byte delimiter)
    {
        var bytes = Vector128.LoadUnsafe(ref data, start);
        return (Vector128.Equals(bytes, Vector128.Create(delimiter)) | Vector128.Equals(bytes, Vector128.Create(Quote))
            | Vector128.Equals(bytes, Vector128.Create(Cr)) | Vector128.Equals(bytes, Vector128.Create(Lf)))
            .ExtractMostSignificantBits();
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
