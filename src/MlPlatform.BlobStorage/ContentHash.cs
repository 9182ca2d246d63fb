using System.Diagnostics.CodeAnalysis;

namespace MlPlatform.BlobStorage;

/// <summary>The SHA-256 of a blob's bytes, which is also its address in every blob store.</summary>
public readonly record struct ContentHash
{
    public const int HexLength = 64;

    private ContentHash(string hex) => Hex = hex;

    /// <summary>64 lowercase hexadecimal digits.</summary>
    public string Hex { get; }

    public static ContentHash FromSha256(ReadOnlySpan<byte> digest) => digest.Length == 32
        ? new ContentHash(Convert.ToHexStringLower(digest))
        : throw new ArgumentException($"A SHA-256 digest has 32 bytes, not {digest.Length}.", nameof(digest));

    /// <summary>Accepts 64 hexadecimal digits in either case.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out ContentHash hash)
    {
        hash = default;
        if (text is not { Length: HexLength } || !text.All(char.IsAsciiHexDigit))
        {
            return false;
        }

        hash = new ContentHash(text.ToLowerInvariant());
        return true;
    }

    public override string ToString() => Hex;
}
