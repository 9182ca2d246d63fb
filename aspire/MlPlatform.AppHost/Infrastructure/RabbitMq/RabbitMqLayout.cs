namespace MlPlatform.AppHost.Infrastructure;

/// <summary>Where the local broker keeps its files: <c>&lt;state&gt;/rabbitmq/…</c>.</summary>
internal sealed record RabbitMqLayout(string Root)
{
    /// <summary>The broker's own HOME: Erlang creates its <c>.erlang.cookie</c> there.</summary>
    public string Home => Path.Combine(Root, "home");

    public string Mnesia => Path.Combine(Root, "mnesia");

    public string Logs => Path.Combine(Root, "log");

    public string EnabledPluginsFile => Path.Combine(Root, "enabled_plugins");

    public static RabbitMqLayout Under(string stateDirectory) => new(Path.Combine(stateDirectory, "rabbitmq"));

    public void Prepare()
    {
        Directory.CreateDirectory(Home);
        Directory.CreateDirectory(Mnesia);
        Directory.CreateDirectory(Logs);
        if (!File.Exists(EnabledPluginsFile))
        {
            // No plugins: the management UI is not needed and the broker starts faster.
            File.WriteAllText(EnabledPluginsFile, "[].");
        }
    }
}
