using System.Buffers.Binary;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using MlPlatform.TestSupport;

namespace MlPlatform.Gateway.Tests;

/// <summary>
/// Stands in for every service behind the gateway: a real cleartext HTTP/2 server that reads the
/// whole request and answers any gRPC method with one empty message and OK (an empty message
/// decodes as any response type), and any REST call with <c>{}</c>. It remembers the headers of
/// the last call, so tests can see what the gateway forwarded.
/// </summary>
public sealed class StubService : IAsyncDisposable
{
    private WebApplication? _app;

    public Uri Address { get; private set; } = null!;

    public IHeaderDictionary? LastHeaders { get; private set; }

    public long LastRequestBytes { get; private set; }

    public static async Task<StubService> StartAsync()
    {
        var stub = new StubService();
        var port = FreePort.Next();
        // Empty: no appsettings.json (the gateway's, in this folder, would bind its ports).
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http2);
            k.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        app.Run(stub.AnswerAsync);
        await app.StartAsync();
        stub._app = app;
        stub.Address = new Uri($"http://127.0.0.1:{port}");
        return stub;
    }

    private async Task AnswerAsync(HttpContext context)
    {
        LastHeaders = new HeaderDictionary(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase));
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
        {
            total += read;
        }

        LastRequestBytes = total;
        if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true)
        {
            context.Response.ContentType = "application/grpc";
            context.Response.AppendTrailer("grpc-status", "0");
            var frame = new byte[5];
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), 0);
            await context.Response.Body.WriteAsync(frame, context.RequestAborted);
            return;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync("{}", context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
