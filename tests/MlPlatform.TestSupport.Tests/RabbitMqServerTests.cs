using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace MlPlatform.TestSupport.Tests;

public class RabbitMqServerTests
{
    [Fact]
    public async Task Broker_answers_AMQP_handshake_with_Connection_Start()
    {
        var rabbitMq = (await SharedInfrastructure.GetAsync()).RabbitMq;

        var frame = await ReadFirstFrameAsync(rabbitMq.AmqpPort);

        Assert.Equal(1, frame[0]); // method frame
        Assert.Equal(0, BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(1))); // channel 0
        Assert.Equal(10, BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(7))); // class: connection
        Assert.Equal(10, BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(9))); // method: start
    }

    [Fact]
    public async Task Concurrent_virtual_host_creations_all_succeed_with_guest_permissions()
    {
        var rabbitMq = (await SharedInfrastructure.GetAsync()).RabbitMq;
        var cancellationToken = TestContext.Current.CancellationToken;
        string[] names = ["concurrent-a", "concurrent-b", "concurrent-c"];

        var uris = await Task.WhenAll(names.Select(name => rabbitMq.CreateVirtualHostAsync(name, cancellationToken)));

        Assert.Equal(names.Select(name => $"amqp://guest:guest@127.0.0.1:{rabbitMq.AmqpPort}/{name}"), uris);
        Assert.Superset(names.ToHashSet(), (await rabbitMq.ListVirtualHostsAsync(cancellationToken)).ToHashSet());
        var permissions = await rabbitMq.RunCtlAsync(["list_permissions", "--quiet", "--no-table-headers", "-p", "concurrent-b"], cancellationToken);
        Assert.Equal("guest\t.*\t.*\t.*", permissions.Trim());
    }

    [Fact]
    public async Task Virtual_host_survives_StopAsync_and_StartAgainAsync()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var rabbitMq = await RabbitMqServer.StartAsync(cancellationToken);
        await rabbitMq.CreateVirtualHostAsync("survivor", cancellationToken);

        await rabbitMq.StopAsync();
        await Assert.ThrowsAnyAsync<SocketException>(() => ReadFirstFrameAsync(rabbitMq.AmqpPort));
        await rabbitMq.StartAgainAsync(cancellationToken);

        Assert.Equal(1, (await ReadFirstFrameAsync(rabbitMq.AmqpPort))[0]);
        Assert.Contains("survivor", await rabbitMq.ListVirtualHostsAsync(cancellationToken));
    }

    // Sends the AMQP 0-9-1 protocol header and reads the frame header plus class and method ids of the reply.
    private static async Task<byte[]> ReadFirstFrameAsync(int port)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
        var stream = client.GetStream();
        await stream.WriteAsync("AMQP\0\0\u0009\u0001"u8.ToArray(), cancellationToken);
        var frame = new byte[11];
        await stream.ReadExactlyAsync(frame, cancellationToken);
        return frame;
    }
}
