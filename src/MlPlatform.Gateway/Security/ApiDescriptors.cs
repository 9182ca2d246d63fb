using System.Reflection;
using Google.Protobuf.Reflection;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace MlPlatform.Gateway.Security;

/// <summary>Every gRPC service of the platform API, found in the MlPlatform.Api assembly (so a new proto cannot be missed).</summary>
public static class ApiDescriptors
{
    public static readonly IReadOnlyList<ServiceDescriptor> Services =
    [
        .. typeof(MlPlatform.Api.Access.V1.Access).Assembly.GetTypes()
            .Where(t => t.IsClass && t.IsAbstract && t.IsSealed && t.Name.EndsWith("Reflection", StringComparison.Ordinal))
            .Select(t => t.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)?.GetValue(null))
            .OfType<FileDescriptor>()
            .Where(file => file.Package.StartsWith("mlplatform.", StringComparison.Ordinal))
            .SelectMany(file => file.Services)
            .OrderBy(service => service.FullName, StringComparer.Ordinal),
    ];

    public static IEnumerable<MethodDescriptor> Methods => Services.SelectMany(s => s.Methods);

    /// <summary><c>package.Service/Method</c>, as in the gRPC path and in <see cref="RpcPermissions.Table"/>.</summary>
    public static string FullName(MethodDescriptor method)
    {
        ArgumentNullException.ThrowIfNull(method);
        return $"{method.Service.FullName}/{method.Name}";
    }
}
