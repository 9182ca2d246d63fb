using System.Text;
using Microsoft.AspNetCore.Authentication;

namespace MlPlatform.Hosting.Security;

/// <summary><c>MlPlatform:Identity</c>: the secret that signs the identities the gateway forwards.</summary>
public sealed class IdentityOptions : AuthenticationSchemeOptions
{
    public const string Section = "MlPlatform:Identity";

    /// <summary>Shared by the gateway and every service; the AppHost generates it (parameter <c>identity-signing-key</c>).</summary>
    public string SigningKey { get; set; } = "";

    /// <summary>The key's bytes (UTF-8 of <see cref="SigningKey"/>).</summary>
    public byte[] KeyBytes => _keyBytes ??= Encoding.UTF8.GetBytes(SigningKey);

    private byte[]? _keyBytes;
}
