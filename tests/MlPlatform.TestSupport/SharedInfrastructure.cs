using System.Security.Cryptography;
using System.Text;

namespace MlPlatform.TestSupport;

/// <summary>
/// One PostgreSQL server and one RabbitMQ broker per test process, started on first use and
/// stopped at process exit. Test classes isolate themselves with <see cref="CreateIsolatedEnvironmentAsync"/>;
/// tests that stop a server need one of their own.
/// </summary>
public sealed class SharedInfrastructure
{
    // A failed start is kept: every later caller gets the same error at once instead of waiting again.
    private static readonly Lazy<Task<SharedInfrastructure>> s_instance = new(() => Task.Run(StartAsync));

    private SharedInfrastructure(PostgresServer postgres, RabbitMqServer rabbitMq)
    {
        Postgres = postgres;
        RabbitMq = rabbitMq;
    }

    public PostgresServer Postgres { get; }

    public RabbitMqServer RabbitMq { get; }

    public static Task<SharedInfrastructure> GetAsync() => s_instance.Value;

    /// <summary>Creates a fresh database and virtual host named after <paramref name="prefix"/> plus a random suffix.</summary>
    public async Task<TestEnvironment> CreateIsolatedEnvironmentAsync(string prefix, CancellationToken cancellationToken = default)
    {
        var name = UniqueName(prefix);
        var database = Postgres.CreateDatabaseAsync(name, cancellationToken);
        var virtualHost = RabbitMq.CreateVirtualHostAsync(name, cancellationToken);
        await Task.WhenAll(database, virtualHost);
        return new TestEnvironment(name, await database, await virtualHost);
    }

    private static async Task<SharedInfrastructure> StartAsync()
    {
        var postgres = PostgresServer.StartAsync();
        var rabbitMq = RabbitMqServer.StartAsync();
        try
        {
            await Task.WhenAll(postgres, rabbitMq);
        }
        catch
        {
            // Do not leave the one that did start running until process exit.
            await DisposeIfStartedAsync(postgres);
            await DisposeIfStartedAsync(rabbitMq);
            throw;
        }

        return new SharedInfrastructure(await postgres, await rabbitMq);
    }

    private static async Task DisposeIfStartedAsync<T>(Task<T> start)
        where T : IAsyncDisposable
    {
        if (start.IsCompletedSuccessfully)
        {
            await (await start).DisposeAsync();
        }
    }

    // Lower-case letters, digits and '_' only, so the name is also a plain SQL identifier; ≤ 63 bytes for PostgreSQL.
    private static string UniqueName(string prefix)
    {
        var cleaned = new StringBuilder();
        foreach (var c in prefix.ToLowerInvariant())
        {
            cleaned.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        }

        var stem = cleaned.Length == 0 ? "test" : cleaned.ToString()[..Math.Min(cleaned.Length, 40)];
        return $"{stem}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
    }
}
