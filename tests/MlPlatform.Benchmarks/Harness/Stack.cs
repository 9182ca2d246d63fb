using System.Net.Http.Headers;
using System.Security.Cryptography;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using MlPlatform.TestSupport;

namespace MlPlatform.Benchmarks.Harness;

/// <summary>
/// What a scenario runs against, started on demand and torn down in reverse order: throwaway
/// PostgreSQL (default durability, as the product runs) and RabbitMQ from TestSupport, real service
/// processes and gateway processes from their build output, and in-process sink servers.
/// Everything listens on 127.0.0.1 only.
/// </summary>
internal sealed class Stack(ScenarioContext context) : IAsyncDisposable
{
    /// <summary>The services the gateway routes to (its <c>PlatformServices</c> table): each needs a destination.</summary>
    public static readonly IReadOnlyList<string> GatewayServices = ["datasets", "tracking", "registry", "builds", "deployments"];

    private const string DatabaseName = "mlplatform";

    // What the AppHost generates as parameters: shared by the gateway (signs identities) and services (verify them).
    private readonly string _signingKey = RandomSecret(64);

    private readonly List<IAsyncDisposable> _owned = [];
    private readonly List<ServiceProcess> _processes = [];
    private PostgresServer? _postgres;
    private RabbitMqServer? _rabbitMq;
    private string? _postgresConnectionString;
    private string? _messagingConnectionString;

    /// <summary>Logs of the processes started, for a look after the run.</summary>
    public string LogDirectory { get; } = Directory.CreateDirectory(Path.Combine(context.WorkDirectory, "logs")).FullName;

    /// <summary>The blob store folder of service <paramref name="name"/>.</summary>
    public string BlobPath(string name) => Path.Combine(context.WorkDirectory, "blobs", name);

    /// <summary>This process and every running service or gateway, for <see cref="CpuMeter"/>.</summary>
    public IReadOnlyList<(string Name, int ProcessId)> Processes =>
        [("benchmark (client + sinks)", Environment.ProcessId), .. _processes.Select(p => (p.Name, p.ProcessId))];

    /// <summary>The bootstrap admin API key every gateway of this stack accepts; <see cref="CreateChannel"/> sends it.</summary>
    public string ApiKey { get; } = RandomSecret(44);

    /// <summary>
    /// The services' database on the stack's PostgreSQL (after <see cref="StartPostgresAsync"/>), for
    /// ceilings measured directly against the same server.
    /// </summary>
    public string PostgresConnectionString =>
        _postgresConnectionString ?? throw new InvalidOperationException("PostgreSQL is not started yet: call StartPostgresAsync first.");

    /// <summary>Starts PostgreSQL (once), with one database for the services and gateways.</summary>
    public async Task StartPostgresAsync(CancellationToken cancellationToken)
    {
        if (_postgres is not null)
        {
            return;
        }

        context.Log("Starting PostgreSQL (default durability)…");
        _owned.Add(_postgres = await PostgresServer.StartAsync(PostgresDurability.Default, cancellationToken));
        _postgresConnectionString = await _postgres.CreateDatabaseAsync(DatabaseName, cancellationToken);
    }

    /// <summary>Starts RabbitMQ (once), with one virtual host for the services.</summary>
    public async Task StartRabbitMqAsync(CancellationToken cancellationToken)
    {
        if (_rabbitMq is not null)
        {
            return;
        }

        context.Log("Starting RabbitMQ…");
        _owned.Add(_rabbitMq = await RabbitMqServer.StartAsync(cancellationToken));
        _messagingConnectionString = await _rabbitMq.CreateVirtualHostAsync(DatabaseName, cancellationToken);
    }

    /// <summary>
    /// A channel that sends this stack's API key on every call (<c>Authorization: Bearer</c>, as
    /// MlPlatform.Client does) and takes messages of any size. Use it for direct calls too, so both
    /// paths send identical requests.
    /// </summary>
    public GrpcChannel CreateChannel(Uri address) => GrpcChannel.ForAddress(address, new GrpcChannelOptions
    {
        HttpHandler = new ApiKeyHandler(ApiKey) { InnerHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true } },
        MaxReceiveMessageSize = null,
        MaxSendMessageSize = null,
    });

    /// <summary>A gRPC server in this process on a free loopback port.</summary>
    public async Task<SinkServer> StartSinkAsync(Action<WebApplication> map, CancellationToken cancellationToken)
    {
        var sink = await SinkServer.StartAsync(FreePort.Next(), map, cancellationToken);
        _owned.Add(sink);
        return sink;
    }

    /// <summary>
    /// Starts service <paramref name="name"/> (e.g. <c>datasets</c> → <c>MlPlatform.Datasets.dll</c>) on the
    /// infrastructure, with a blob store under the work directory. Pass the ports of a stopped instance
    /// to restart it where a gateway already routes.
    /// </summary>
    public async Task<ServiceProcess> StartServiceAsync(
        string name,
        CancellationToken cancellationToken,
        (int Grpc, int Http)? ports = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        await Task.WhenAll(StartPostgresAsync(cancellationToken), StartRabbitMqAsync(cancellationToken));
        var project = "MlPlatform." + char.ToUpperInvariant(name[0]) + name[1..];
        Dictionary<string, string> variables = new(StringComparer.Ordinal)
        {
            ["ConnectionStrings__postgres"] = _postgresConnectionString!,
            ["ConnectionStrings__messaging"] = _messagingConnectionString!,
            ["MlPlatform__BlobStore__Path"] = BlobPath(name),
            ["MlPlatform__Identity__SigningKey"] = _signingKey,
        };
        Merge(variables, environment);
        Merge(variables, context.Options.Pairs(Runner.ServiceEnvironmentOption));
        var (grpcPort, httpPort) = ports ?? (FreePort.Next(), FreePort.Next());
        context.Log($"Starting {name} ({project}, {context.Repository.Configuration})…");
        var service = await ServiceProcess.StartAsync(
            name, context.Repository.ProjectAssembly(project), grpcPort, httpPort, variables, LogDirectory, cancellationToken);
        _processes.Add(service);
        return service;
    }

    /// <summary>
    /// Starts a gateway process (the real binary and settings) whose service discovery sends each
    /// service in <paramref name="destinations"/> there and every other one to <paramref name="otherwise"/>.
    /// It authenticates callers as the product does (API keys, with <see cref="ApiKey"/> as the
    /// bootstrap admin key, stored in PostgreSQL), with the per-key rate limit raised out of reach
    /// so that it is paid for but never refuses a benchmark call. <c>--gateway-env</c> settings
    /// apply to every gateway and override these, e.g. <c>MlPlatform__Gateway__AuthenticationEnabled=false</c>.
    /// </summary>
    public async Task<ServiceProcess> StartGatewayAsync(
        string name,
        IReadOnlyDictionary<string, Uri> destinations,
        Uri otherwise,
        CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        await StartPostgresAsync(cancellationToken);
        Dictionary<string, string> variables = new(StringComparer.Ordinal)
        {
            ["ConnectionStrings__postgres"] = _postgresConnectionString!,
            ["MlPlatform__Identity__SigningKey"] = _signingKey,
            ["MlPlatform__Gateway__AdminApiKey"] = ApiKey,
            ["MlPlatform__Gateway__RateLimit__TokenLimit"] = $"{int.MaxValue}",
            ["MlPlatform__Gateway__RateLimit__TokensPerPeriod"] = $"{int.MaxValue}",
        };
        foreach (var service in GatewayServices)
        {
            variables[$"services__{service}__grpc__0"] = destinations.GetValueOrDefault(service, otherwise).ToString().TrimEnd('/');
        }

        Merge(variables, environment);
        Merge(variables, context.Options.Pairs(Runner.GatewayEnvironmentOption));
        context.Log($"Starting {name} (MlPlatform.Gateway, {context.Repository.Configuration}): " +
                    string.Join(", ", destinations.Select(d => $"{d.Key} → {d.Value}")));
        var gateway = await ServiceProcess.StartAsync(
            name, context.Repository.ProjectAssembly("MlPlatform.Gateway"), FreePort.Next(), FreePort.Next(), variables, LogDirectory, cancellationToken);
        _processes.Add(gateway);
        return gateway;
    }

    /// <summary>Stops one process of the stack now (to restart it, e.g. for a fresh peak-memory reading).</summary>
    public async Task StopAsync(ServiceProcess process)
    {
        _processes.Remove(process);
        await process.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        var failures = new List<Exception>();
        // Processes first (they hold connections to the servers), then sinks and servers, newest first.
        foreach (var process in Enumerable.Reverse(_processes).ToList())
        {
            await StopQuietlyAsync(process, failures);
        }

        _processes.Clear();
        foreach (var owned in Enumerable.Reverse(_owned).ToList())
        {
            await StopQuietlyAsync(owned, failures);
        }

        _owned.Clear();
        if (failures.Count > 0)
        {
            throw new AggregateException("Tearing the stack down failed.", failures);
        }
    }

    private static async Task StopQuietlyAsync(IAsyncDisposable disposable, List<Exception> failures)
    {
        try
        {
            await disposable.DisposeAsync();
        }
        catch (Exception e)
        {
            failures.Add(e);
        }
    }

    private static string RandomSecret(int length) =>
        RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", length);

    private static void Merge(Dictionary<string, string> into, IReadOnlyDictionary<string, string>? from)
    {
        foreach (var (key, value) in from ?? new Dictionary<string, string>())
        {
            into[key] = value;
        }
    }
}

/// <summary>Adds the API key to every call, as MlPlatform.Client's handler does.</summary>
internal sealed class ApiKeyHandler(string apiKey) : DelegatingHandler
{
    private readonly AuthenticationHeaderValue _authorization = new("Bearer", apiKey);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = _authorization;
        return base.SendAsync(request, cancellationToken);
    }
}
