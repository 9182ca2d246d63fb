namespace MlPlatform.AppHost.Infrastructure;

/// <summary>Adds PostgreSQL and RabbitMQ to the AppHost in whichever way this machine can run them.</summary>
public static class InfrastructureBuilderExtensions
{
    /// <summary>
    /// Decides how the infrastructure runs (connection strings, containers or local processes), says so on the
    /// console, and adds resources named <c>postgres</c> and <c>messaging</c>. Exits the process with code 1 when
    /// nothing can provide the servers, rather than leave services waiting for them forever.
    /// </summary>
    public static MlPlatformInfrastructure AddMlPlatformInfrastructure(this IDistributedApplicationBuilder builder)
    {
        var options = InfrastructureOptions.Read(builder.Configuration);
        var decision = DecideOrExit(builder, options);
        var (postgres, messaging) = decision.Mode switch
        {
            InfrastructureMode.Containers => AddContainers(builder, decision),
            InfrastructureMode.LocalProcesses => AddLocalProcesses(builder, decision, options),
            _ => AddConnectionStrings(builder, decision),
        };
        return new MlPlatformInfrastructure(decision.Mode, postgres, messaging, options.StateDirectory);
    }

    private static InfrastructureDecision DecideOrExit(IDistributedApplicationBuilder builder, InfrastructureOptions options)
    {
        try
        {
            return InfrastructureModeSelector.Decide(builder.Configuration, options);
        }
        catch (InfrastructureUnavailableException exception)
        {
            Console.Error.WriteLine(exception.Message);
            Environment.Exit(1);
            throw; // Not reached: Environment.Exit does not return.
        }
    }

    private static Servers AddConnectionStrings(IDistributedApplicationBuilder builder, InfrastructureDecision decision)
    {
        Console.WriteLine($"MlPlatform infrastructure: existing servers from connection strings ({decision.Reason})");
        return new Servers(
            builder.AddConnectionString(InfrastructureNames.Postgres),
            builder.AddConnectionString(InfrastructureNames.Messaging));
    }

    private static Servers AddContainers(IDistributedApplicationBuilder builder, InfrastructureDecision decision)
    {
        // DCP would otherwise try its default runtime (docker) even when only podman is healthy.
        if (decision.ContainerRuntime is { } runtime && string.IsNullOrEmpty(builder.Configuration["ASPIRE_CONTAINER_RUNTIME"]))
        {
            builder.Configuration["ASPIRE_CONTAINER_RUNTIME"] = runtime;
        }

        Console.WriteLine($"MlPlatform infrastructure: containers ({decision.Reason})");
        var postgres = builder.AddPostgres($"{InfrastructureNames.Postgres}-server")
            .WithDataVolume()
            .AddDatabase(InfrastructureNames.Postgres, InfrastructureNames.Database);
        return new Servers(postgres, builder.AddRabbitMQ(InfrastructureNames.Messaging));
    }

    private static Servers AddLocalProcesses(
        IDistributedApplicationBuilder builder, InfrastructureDecision decision, InfrastructureOptions options)
    {
        var servers = decision.LocalServers!;
        var free = FreePorts.Take(4);
        var postgresPort = options.PostgresPort ?? free[0];
        var rabbitMqPorts = new RabbitMqPorts(
            Amqp: options.RabbitMqPort ?? free[1], Distribution: options.RabbitMqDistPort ?? free[2], Epmd: options.EpmdPort ?? free[3]);

        Console.WriteLine($"MlPlatform infrastructure: local processes ({decision.Reason}) — {servers.Describe()}");
        Console.WriteLine(
            $"  state in {options.StateDirectory}; postgres on 127.0.0.1:{postgresPort} (database {InfrastructureNames.Database}), " +
            $"messaging on 127.0.0.1:{rabbitMqPorts.Amqp} (epmd {rabbitMqPorts.Epmd}, distribution {rabbitMqPorts.Distribution})");

        return new Servers(
            builder.AddLocalPostgres(InfrastructureNames.Postgres, servers.Postgres, options.StateDirectory, postgresPort),
            builder.AddLocalRabbitMq(InfrastructureNames.Messaging, servers, options.StateDirectory, rabbitMqPorts));
    }

    private sealed record Servers(
        IResourceBuilder<IResourceWithConnectionString> Postgres,
        IResourceBuilder<IResourceWithConnectionString> Messaging);
}
