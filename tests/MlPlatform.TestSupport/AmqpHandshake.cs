using System.Net;
using System.Net.Sockets;

namespace MlPlatform.TestSupport;

/// <summary>Readiness probe: a broker that is up answers the AMQP 0-9-1 protocol header with a Connection.Start frame.</summary>
internal static class AmqpHandshake
{
    private static readonly byte[] s_protocolHeader = [.. "AMQP"u8, 0, 0, 9, 1];
    private const byte MethodFrame = 1;

    public static async Task<bool> SucceedsAsync(int port, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(s_protocolHeader, timeout.Token);
            var reply = new byte[1];
            return await stream.ReadAsync(reply, timeout.Token) == 1 && reply[0] == MethodFrame;
        }
        catch (Exception e) when (e is SocketException or IOException
                                  || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }
}
