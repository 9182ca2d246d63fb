using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Security.Cryptography;

namespace MlPlatform.TestSupport;

/// <summary>
/// A throwaway RabbitMQ broker (Debian's rabbitmq-server, no plugins) on 127.0.0.1, with its own
/// node name, ports, Erlang cookie, data directory and epmd, so it never meets another broker.
/// User guest/guest. Not thread-safe with respect to <see cref="StopAsync"/> and <see cref="StartAgainAsync"/>.
/// </summary>
public sealed class RabbitMqServer : IAsyncDisposable
{
    private const string BinDirectory = "/usr/lib/rabbitmq/bin";
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromSeconds(30);

    private readonly string _directory;
    private readonly int _epmdPort;
    private readonly Dictionary<string, string> _environment;
    private readonly Batcher<string> _virtualHosts;
    private ChildProcess? _epmd;
    private ChildProcess? _broker;
    private IDisposable? _cleanup;
    private int _disposed;

    private RabbitMqServer(string directory)
    {
        _directory = directory;
        AmqpPort = FreePort.Next();
        _epmdPort = FreePort.Next();
        _environment = CreateEnvironment(directory, AmqpPort, distributionPort: FreePort.Next(), _epmdPort);
        _virtualHosts = new Batcher<string>(AddVirtualHostsAsync);
    }

    public int AmqpPort { get; }

    /// <summary>AMQP URI of the default virtual host.</summary>
    public string ConnectionString => $"amqp://guest:guest@127.0.0.1:{AmqpPort}/";

    public static async Task<RabbitMqServer> StartAsync(CancellationToken cancellationToken = default)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("RabbitMqServer runs Debian's rabbitmq-server: Linux only.");
        }

        if (!File.Exists(Path.Combine(BinDirectory, "rabbitmq-server")))
        {
            throw new InvalidOperationException(
                $"RabbitMQ not found in {BinDirectory}; install it with: apt-get install -y rabbitmq-server");
        }

        var server = new RabbitMqServer(Directory.CreateTempSubdirectory("mlp-rmq-").FullName);
        try
        {
            server.PrepareDirectory();
            await server.StartEpmdAsync(cancellationToken);
            await server.StartBrokerAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Creates virtual host <paramref name="name"/> with full permissions for guest and returns its AMQP URI.
    /// Safe to call concurrently: concurrent calls share one (slow) rabbitmqctl run.
    /// </summary>
    public async Task<string> CreateVirtualHostAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        await _virtualHosts.RunAsync(name).WaitAsync(cancellationToken);
        return ConnectionString + Uri.EscapeDataString(name);
    }

    public async Task<IReadOnlyList<string>> ListVirtualHostsAsync(CancellationToken cancellationToken = default)
    {
        var output = await RunCtlAsync(["list_vhosts", "--quiet", "--no-table-headers", "name"], cancellationToken);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>Runs rabbitmqctl against this broker and returns its standard output.</summary>
    public Task<string> RunCtlAsync(IEnumerable<string> arguments, CancellationToken cancellationToken = default) =>
        Command.RunAsync(Path.Combine(BinDirectory, "rabbitmqctl"), arguments, _environment, TimeSpan.FromSeconds(60), cancellationToken);

    /// <summary>Shuts the broker down cleanly (an outage); epmd, ports and data stay for <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_broker is null)
        {
            return;
        }

        await _broker.StopAsync(Signals.Terminate, s_stopTimeout);
        _broker.Dispose();
        _broker = null;
        UpdateCleanup();
    }

    /// <summary>Starts the broker again after <see cref="StopAsync"/>, on the same ports and data (virtual hosts survive).</summary>
    public Task StartAgainAsync(CancellationToken cancellationToken = default) =>
        _broker is null
            ? StartBrokerAsync(cancellationToken)
            : throw new InvalidOperationException("The broker is running; call StopAsync first.");

    /// <summary>Kills the broker and its epmd and deletes all its data.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        // Nothing is worth keeping, so no graceful shutdown. The broker's group holds the
        // rabbitmq-server script and the Erlang VM it started.
        foreach (var process in new[] { _broker, _epmd }.OfType<ChildProcess>())
        {
            await process.KillAsync();
            process.Dispose();
        }

        await TemporaryDirectory.DeleteAsync(_directory);
        _cleanup?.Dispose();
    }

    private static Dictionary<string, string> CreateEnvironment(string directory, int amqpPort, int distributionPort, int epmdPort)
    {
        // Erlang distribution (broker and rabbitmqctl) on loopback only.
        const string loopbackOnly = "-kernel inet_dist_use_interface {127,0,0,1}";
        return new()
        {
            ["HOME"] = Path.Combine(directory, "home"), // the Erlang cookie, read by broker and rabbitmqctl
            ["RABBITMQ_NODENAME"] = $"mlp-test-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}@localhost",
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = $"{amqpPort}",
            ["RABBITMQ_DIST_PORT"] = $"{distributionPort}",
            ["ERL_EPMD_PORT"] = $"{epmdPort}",
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(directory, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(directory, "log"),
            ["ERL_CRASH_DUMP"] = Path.Combine(directory, "log", "erl_crash.dump"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(directory, "enabled_plugins"),
            // Ignore whatever /etc/rabbitmq holds on this machine.
            ["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(directory, "rabbitmq-env.conf"),
            ["RABBITMQ_CONFIG_FILE"] = Path.Combine(directory, "rabbitmq"),
            ["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(directory, "advanced.config"),
            ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = loopbackOnly,
            ["RABBITMQ_CTL_ERL_ARGS"] = loopbackOnly,
            // rabbitmqctl's default is a fixed range (35672-35682) shared by every broker on the machine; 0 lets the OS choose.
            ["RABBITMQ_CTL_DIST_PORT_MIN"] = "0",
            ["RABBITMQ_CTL_DIST_PORT_MAX"] = "0",
        };
    }

    [SupportedOSPlatform("linux")]
    private void PrepareDirectory()
    {
        foreach (var name in (string[])["home", "mnesia", "log"])
        {
            Directory.CreateDirectory(Path.Combine(_directory, name));
        }

        var cookie = Path.Combine(_directory, "home", ".erlang.cookie");
        File.WriteAllText(cookie, Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));
        File.SetUnixFileMode(cookie, UnixFileMode.UserRead); // Erlang rejects a cookie others can read
        File.WriteAllText(_environment["RABBITMQ_ENABLED_PLUGINS_FILE"], "[].");
        File.WriteAllText(_environment["RABBITMQ_CONF_ENV_FILE"], "");
    }

    // Our own epmd, started before the broker so the broker does not start (and orphan) a daemonised one.
    private async Task StartEpmdAsync(CancellationToken cancellationToken)
    {
        _epmd = ChildProcess.Start(
            Path.Combine(_directory, "log", "epmd.log"), _environment, "epmd", "-port", $"{_epmdPort}", "-address", "127.0.0.1");
        UpdateCleanup();
        var clock = Stopwatch.StartNew();
        while (!await AcceptsConnectionsAsync(_epmdPort, cancellationToken))
        {
            if (_epmd.HasExited || clock.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new InvalidOperationException($"epmd did not listen on port {_epmdPort}. Log:\n{_epmd.LogTail()}");
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    private async Task StartBrokerAsync(CancellationToken cancellationToken)
    {
        _broker = ChildProcess.Start(
            Path.Combine(_directory, "log", "broker.out"), _environment, Path.Combine(BinDirectory, "rabbitmq-server"));
        UpdateCleanup();
        var clock = Stopwatch.StartNew();
        while (!await AmqpHandshake.SucceedsAsync(AmqpPort, cancellationToken))
        {
            if (_broker.HasExited)
            {
                throw new InvalidOperationException(
                    $"rabbitmq-server exited with code {_broker.ExitCode} before accepting AMQP connections.\n{BrokerLogs()}");
            }

            if (clock.Elapsed > s_startTimeout)
            {
                throw new TimeoutException(
                    $"rabbitmq-server did not accept AMQP connections on port {AmqpPort} within {s_startTimeout.TotalSeconds:0} s.\n{BrokerLogs()}");
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    private string BrokerLogs()
    {
        var log = Path.Combine(_directory, "log", $"{_environment["RABBITMQ_NODENAME"]}.log");
        return $"Output:\n{_broker?.LogTail()}\nLog {log}:\n{ChildProcess.Tail(log)}";
    }

    private async Task AddVirtualHostsAsync(IReadOnlyList<string> names)
    {
        // One rabbitmqctl run (≈1 s) for all names and both steps, instead of add_vhost + set_permissions per name.
        var list = string.Join(", ", names.Select(name =>
            $"<<\"{name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"/utf8>>"));
        var expression = $$"""
            lists:foreach(fun(VHost) ->
                ok = rabbit_vhost:add(VHost, <<"mlp-test-support">>),
                ok = rabbit_auth_backend_internal:set_permissions(
                    <<"guest">>, VHost, <<".*">>, <<".*">>, <<".*">>, <<"mlp-test-support">>)
            end, [{{list}}]).
            """;
        await RunCtlAsync(["eval", expression], CancellationToken.None);
    }

    // What the watchdog kills and deletes should the test host die before disposing this broker.
    private void UpdateCleanup()
    {
        var groups = new[] { _broker, _epmd }.OfType<ChildProcess>().Select(process => $"-{process.Id}").ToArray();
        var kill = groups.Length == 0 ? "" : $"kill -s KILL -- {string.Join(' ', groups)}; sleep 1; ";
        var previous = _cleanup;
        _cleanup = Reaper.Register(this, kill + $"rm -rf -- {Shell.Quote(_directory)}");
        previous?.Dispose();
    }

    private static async Task<bool> AcceptsConnectionsAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
