using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace MlPlatform.Datasets.Csv;

/// <summary>
/// Checks that a stream of chunks is UTF-8, carrying a character split between two chunks over to
/// the next, and reports the byte offset of the first invalid byte.
/// </summary>
internal sealed class Utf8Validator
{
    private readonly byte[] _pending = new byte[4];
    private int _pendingLength;
    private long _pendingOffset;

    /// <summary>The offset of the first invalid byte, or null while everything so far is valid.</summary>
    public long? Validate(ReadOnlySpan<byte> chunk, long chunkOffset)
    {
        if (_pendingLength > 0)
        {
            if (FinishPending(ref chunk, ref chunkOffset) is { } invalid)
            {
                return invalid;
            }

            if (_pendingLength > 0)
            {
                return null; // the chunk was too short to finish the character
            }
        }

        var whole = WholeCharactersLength(chunk);
        var body = chunk[..whole];
        if (!Utf8.IsValid(body))
        {
            return chunkOffset + FirstInvalid(body);
        }

        chunk[whole..].CopyTo(_pending);
        _pendingLength = chunk.Length - whole;
        _pendingOffset = chunkOffset + whole;
        return null;
    }

    /// <summary>After the last chunk: a character cut off by the end of the file is invalid.</summary>
    public long? Complete() => _pendingLength > 0 ? _pendingOffset : null;

    private long? FinishPending(ref ReadOnlySpan<byte> chunk, ref long chunkOffset)
    {
        Span<byte> joined = stackalloc byte[8];
        var taken = Math.Min(chunk.Length, 4);
        _pending.AsSpan(0, _pendingLength).CopyTo(joined);
        chunk[..taken].CopyTo(joined[_pendingLength..]);
        switch (Rune.DecodeFromUtf8(joined[..(_pendingLength + taken)], out _, out var length))
        {
            case OperationStatus.Done:
                chunk = chunk[(length - _pendingLength)..];
                chunkOffset += length - _pendingLength;
                _pendingLength = 0;
                return null;
            case OperationStatus.NeedMoreData:
                chunk.CopyTo(_pending.AsSpan(_pendingLength));
                _pendingLength += chunk.Length;
                return null;
            default:
                return _pendingOffset;
        }
    }

    /// <summary>The length up to the start of a character the chunk cuts off, if any.</summary>
    private static int WholeCharactersLength(ReadOnlySpan<byte> chunk)
    {
        for (var back = 1; back <= Math.Min(3, chunk.Length); back++)
        {
            var lead = chunk[^back];
            if ((lead & 0xC0) == 0x80)
            {
                continue; // a continuation byte: the character starts further back
            }

            var length = lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
            return length > back ? chunk.Length - back : chunk.Length;
        }

        return chunk.Length;
    }

    private static int FirstInvalid(ReadOnlySpan<byte> text)
    {
        var position = 0;
        while (Rune.DecodeFromUtf8(text[position..], out _, out var length) == OperationStatus.Done)
        {
            position += length;
        }

        return position;
    }
}
