using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace MlPlatform.Gateway.Security;

/// <summary>
/// <c>mlp_&lt;key id&gt;_&lt;secret&gt;</c>: a 16-hex-digit public id and 256 random bits in base64url.
/// Only the SHA-256 of the secret is stored; a fast hash is right for a secret with this much
/// entropy (no dictionary to guess from), and keeps the check cheap on every call.
/// </summary>
public static class ApiKeyFormat
{
    public const string Prefix = "mlp_";
    private const int KeyIdLength = 16;
    private const int SecretBytes = 32;
    private static readonly int s_secretLength = Base64Url.GetEncodedLength(SecretBytes);

    public static (string KeyId, string Secret, string ApiKey) Generate()
    {
        var keyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(KeyIdLength / 2));
        var secret = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes));
        return (keyId, secret, $"{Prefix}{keyId}_{secret}");
    }

    public static bool TryParse(ReadOnlySpan<char> apiKey, out string keyId, out ReadOnlySpan<char> secret)
    {
        keyId = "";
        secret = default;
        if (apiKey.Length != Prefix.Length + KeyIdLength + 1 + s_secretLength
            || !apiKey.StartsWith(Prefix, StringComparison.Ordinal)
            || apiKey[Prefix.Length + KeyIdLength] != '_')
        {
            return false;
        }

        var id = apiKey.Slice(Prefix.Length, KeyIdLength);
        foreach (var c in id)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        keyId = id.ToString();
        secret = apiKey[(Prefix.Length + KeyIdLength + 1)..];
        return true;
    }

    public static bool IsKeyId(string keyId) =>
        keyId.Length == KeyIdLength && keyId.All(c => char.IsAsciiDigit(c) || char.IsAsciiHexDigitLower(c));

    /// <summary>SHA-256 of the secret, lowercase hex.</summary>
    public static string Hash(ReadOnlySpan<char> secret)
    {
        var max = Encoding.UTF8.GetMaxByteCount(secret.Length);
        Span<byte> utf8 = max <= 512 ? stackalloc byte[max] : new byte[max];
        var length = Encoding.UTF8.GetBytes(secret, utf8);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8[..length], hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>Compares hashes in constant time.</summary>
    public static bool HashesEqual(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));
}
