using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Google.Protobuf.Reflection;
using Grpc.Core;
using MlPlatform.Gateway.Security;
using Xunit;

namespace MlPlatform.Gateway.Tests;

/// <summary>
/// Every RPC of every proto, called through the gateway by no key, a revoked key, an expired key
/// and a key of each role: exactly the roles of <see cref="RpcPermissions"/> get through. A call
/// that reaches the (stub) service or fails the gateway's own validation got through;
/// Unauthenticated and PermissionDenied are refusals. REST routes likewise, by their annotations.
/// </summary>
public sealed partial class RoleMatrixTests(GatewayFactory gateway) : IClassFixture<GatewayFactory>
{
    private static readonly Marshaller<byte[]> s_bytes = Marshallers.Create(b => b, b => b);

    public static TheoryData<string> Rpcs => [.. ApiDescriptors.Methods.Select(ApiDescriptors.FullName)];

    public static TheoryData<string, string> RestRoutes =>
    [
        .. Security.RestRoutes.Declared(ApiDescriptors.Methods).Select(r => (r.Verb, r.Template)).Distinct(),
    ];

    [Theory]
    [MemberData(nameof(Rpcs))]
    public async Task Exactly_the_allowed_roles_may_call_each_rpc(string rpc)
    {
        var method = ApiDescriptors.Methods.Single(m => ApiDescriptors.FullName(m) == rpc);
        var passed = new List<string>();
        foreach (var caller in GatewayFactory.Callers)
        {
            using var channel = gateway.ChannelWithKey(gateway.Keys[caller]);
            var status = await CallAsync(channel.CreateCallInvoker(), method);
            Assert.True(status is not (StatusCode.Internal or StatusCode.Unavailable or StatusCode.ResourceExhausted), $"{caller} calling {rpc}: {status}");
            if (status is not (StatusCode.Unauthenticated or StatusCode.PermissionDenied))
            {
                passed.Add(caller);
            }
        }

        Assert.Equal(Expected(RpcPermissions.For(rpc)), passed);
    }

    [Theory]
    [MemberData(nameof(RestRoutes))]
    public async Task Exactly_the_allowed_roles_may_call_each_rest_route(string verb, string template)
    {
        var rpcs = Security.RestRoutes.Declared(ApiDescriptors.Methods).Where(r => r.Verb == verb && r.Template == template).Select(r => r.Rpc);
        var allowed = rpcs.Aggregate(RpcPermissions.AnyRole, (roles, rpc) => roles & RpcPermissions.For(rpc));
        var path = Variable().Replace(template, "x");
        var passed = new List<string>();
        foreach (var caller in GatewayFactory.Callers)
        {
            using var http = gateway.HttpWithKey(gateway.Keys[caller]);
            using var request = new HttpRequestMessage(new HttpMethod(verb), path);
            if (verb is "POST" or "PUT" or "PATCH")
            {
                request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
            }

            using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.True((int)response.StatusCode < 500, $"{caller} {verb} {path}: {response.StatusCode}");
            if (response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden))
            {
                passed.Add(caller);
            }
        }

        Assert.Equal(Expected(allowed), passed);
    }

    [Theory]
    [InlineData("reader", "mlplatform.datasets.v1.Datasets/ListDatasets", true)]
    [InlineData("reader", "mlplatform.datasets.v1.Datasets/CreateDataset", false)]
    [InlineData("reader", "mlplatform.access.v1.Access/ListApiKeys", false)]
    [InlineData("scorer", "mlplatform.datasets.v1.Datasets/GetDataset", false)]
    [InlineData("scorer", "mlplatform.access.v1.Access/WhoAmI", true)]
    [InlineData("contributor", "mlplatform.datasets.v1.Datasets/UploadDatasetVersion", true)]
    [InlineData("contributor", "mlplatform.registry.v1.Registry/SetAlias", true)]
    [InlineData("contributor", "mlplatform.tracking.v1.Tracking/DeleteRun", false)]
    [InlineData("contributor", "mlplatform.access.v1.Access/CreateApiKey", false)]
    [InlineData("admin", "mlplatform.tracking.v1.Tracking/DeleteRun", true)]
    [InlineData("admin", "mlplatform.access.v1.Access/RevokeApiKey", true)]
    public void The_table_says_what_the_issue_says(string role, string rpc, bool allowed) =>
        Assert.Equal(allowed, (RpcPermissions.For(rpc) & RoleNames.Parse(role)) != 0);

    [Fact]
    public async Task An_rpc_the_table_does_not_know_is_for_admins_only()
    {
        var method = new Method<byte[], byte[]>(MethodType.Unary, "mlplatform.datasets.v1.Datasets", "NotInTheTable", s_bytes, s_bytes);
        using var reader = gateway.ChannelWithKey(gateway.Keys["contributor"]);
        using var admin = gateway.ChannelWithKey(gateway.Keys["admin"]);

        var refused = await Assert.ThrowsAsync<RpcException>(() => reader.CreateCallInvoker().AsyncUnaryCall(method, null, default, []).ResponseAsync);
        await admin.CreateCallInvoker().AsyncUnaryCall(method, null, default, []).ResponseAsync;

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
    }

    private static List<string> Expected(Roles allowed) =>
        [.. GatewayFactory.Callers.Where(caller => (RoleNames.Parse(caller) & allowed) != 0)];

    /// <summary>Calls any method with an empty request (raw bytes: the stub and the gateway need no types) and returns its status.</summary>
    internal static async Task<StatusCode> CallAsync(CallInvoker invoker, MethodDescriptor descriptor)
    {
        var type = (descriptor.IsClientStreaming, descriptor.IsServerStreaming) switch
        {
            (false, false) => MethodType.Unary,
            (true, false) => MethodType.ClientStreaming,
            (false, true) => MethodType.ServerStreaming,
            (true, true) => MethodType.DuplexStreaming,
        };
        var method = new Method<byte[], byte[]>(type, descriptor.Service.FullName, descriptor.Name, s_bytes, s_bytes);
        var options = new CallOptions(deadline: DateTime.UtcNow.AddSeconds(30));
        try
        {
            switch (type)
            {
                case MethodType.Unary:
                    await invoker.AsyncUnaryCall(method, null, options, []).ResponseAsync;
                    break;
                case MethodType.ClientStreaming:
                    {
                        using var call = invoker.AsyncClientStreamingCall(method, null, options);
                        await CompleteQuietlyAsync(call.RequestStream);
                        await call.ResponseAsync;
                        break;
                    }

                case MethodType.ServerStreaming:
                    {
                        using var call = invoker.AsyncServerStreamingCall(method, null, options, []);
                        while (await call.ResponseStream.MoveNext(CancellationToken.None))
                        {
                        }

                        break;
                    }

                default:
                    {
                        using var call = invoker.AsyncDuplexStreamingCall(method, null, options);
                        await CompleteQuietlyAsync(call.RequestStream);
                        while (await call.ResponseStream.MoveNext(CancellationToken.None))
                        {
                        }

                        break;
                    }
            }

            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }

    // A refused call may have ended before the client completes its side.
    private static async Task CompleteQuietlyAsync(IClientStreamWriter<byte[]> requests)
    {
        try
        {
            await requests.CompleteAsync();
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException)
        {
        }
    }

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Variable();
}
