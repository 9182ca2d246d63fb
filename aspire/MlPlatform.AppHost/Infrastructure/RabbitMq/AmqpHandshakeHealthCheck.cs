using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MlPlatform.AppHost.Infrastructure;

/// <summary>
/// Healthy when the broker answers the AMQP 0-9-1 protocol header with a method frame (Connection.Start);
/// RabbitMQ opens its AMQP listener only once it has booted. After the first answer a TCP connect suffices:
/// the broker logs every abandoned handshake as a warning, which would litter its log every 30 s.
/// </summary>
internal sealed class AmqpHandshakeHealthCheck(int port) : IHealthCheck
{
    private const byte MethodFrame = 1;

    private static readonly byte[] s_protocolHeader = [(byte)'A', (byte)'M', (byte)'Q', (byte)'P', 0, 0, 9, 1];

    private static readonly TimeSpan s_replyTimeout = TimeSpan.FromSeconds(2);

    private volatile bool _answeredOnce;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        StartupPolling.UntilHealthyAsync(ProbeAsync, cancellationToken);

    private async Task<HealthCheckResult> ProbeAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_replyTimeout);
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            if (_answeredOnce)
            {
                return HealthCheckResult.Healthy();
            }

            var stream = client.GetStream();
            await stream.WriteAsync(s_protocolHeader, timeout.Token);
            var reply = new byte[1];
            var read = await stream.ReadAsync(reply, timeout.Token);
            _answeredOnce = read == 1 && reply[0] == MethodFrame;
            return _answeredOnce
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"127.0.0.1:{port} did not answer the AMQP 0-9-1 protocol header");
        }
        catch (Exception exception) when (exception is SocketException or IOException
            || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // The message is the whole story; attaching the exception would log a stack trace per attempt while the broker boots.
            return HealthCheckResult.Unhealthy(exception.Message);
        }
    }
}
