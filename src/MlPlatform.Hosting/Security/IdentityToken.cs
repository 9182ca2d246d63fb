using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MlPlatform.Hosting.Security;

/// <summary>
/// The identity the gateway forwards to services: <c>v1.&lt;payload&gt;.&lt;signature&gt;</c>, where the
/// payload is base64url of <c>key id \n name \n role \n expiry (unix seconds)</c> and the signature is
/// HMAC-SHA256 of <c>v1.&lt;payload&gt;</c> with the secret the AppHost gives gateway and services.
/// Short-lived, so a token seen on the internal network is worth little for long.
/// </summary>
public static class IdentityToken
{
    /// <summary>The secret must have at least this many characters (the AppHost generates 64).</summary>
    public const int MinKeyLength = 32;

    private const string Version = "v1.";
    private const int SignatureLength = 32;

    public static string Sign(PlatformIdentity identity, DateTimeOffset expires, ReadOnlySpan<byte> key)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var payload = string.Join('\n', identity.KeyId, identity.Name, identity.Role, expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        var signed = Version + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload));
        Span<byte> signature = stackalloc byte[SignatureLength];
        HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(signed), signature);
        return signed + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>The identity in <paramref name="token"/> when its signature is right and it has not expired; otherwise null and why.</summary>
    public static PlatformIdentity? Verify(string token, DateTimeOffset now, ReadOnlySpan<byte> key, out string? failure)
    {
        ArgumentNullException.ThrowIfNull(token);
        var dot = token.LastIndexOf('.');
        if (!token.StartsWith(Version, StringComparison.Ordinal) || dot <= Version.Length)
        {
            failure = "The identity is malformed.";
            return null;
        }

        Span<byte> expected = stackalloc byte[SignatureLength];
        HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(token[..dot]), expected);
        Span<byte> presented = stackalloc byte[SignatureLength + 3];
        if (!Base64Url.TryDecodeFromChars(token.AsSpan(dot + 1), presented, out var written)
            || written != SignatureLength
            || !CryptographicOperations.FixedTimeEquals(expected, presented[..SignatureLength]))
        {
            failure = "The identity's signature is not valid.";
            return null;
        }

        string[] fields;
        try
        {
            fields = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token.AsSpan(Version.Length, dot - Version.Length))).Split('\n');
        }
        catch (FormatException)
        {
            failure = "The identity is malformed.";
            return null;
        }

        if (fields.Length != 4 || !long.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var expiry))
        {
            failure = "The identity is malformed.";
            return null;
        }

        if (now.ToUnixTimeSeconds() >= expiry)
        {
            failure = "The identity has expired.";
            return null;
        }

        failure = null;
        return new PlatformIdentity(fields[0], fields[1], fields[2]);
    }
}
