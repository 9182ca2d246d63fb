namespace MlPlatform.Registry.Deployments;

/// <summary>
/// The Registry's replica of one deployment of an endpoint, as the Deployments service announced
/// it: what it serves now and what it served before. Kept by the consumers of Deployments'
/// events (like any replica of another service's facts), read by GetLineage.
/// </summary>
/// <param name="Id">See <see cref="Key"/>.</param>
/// <param name="Served">Every <c>model@version</c> it has served (<see cref="ServedKey"/>), for lookups by version.</param>
/// <param name="TrafficPercent">Its last announced share of the endpoint's traffic; null before any.</param>
/// <param name="TrafficAsOf">When that share was announced: older announcements arriving late are ignored.</param>
public sealed record EndpointDeployment(
    string Id,
    string Endpoint,
    string Deployment,
    ServingPeriod? Current,
    IReadOnlyList<ServingPeriod> Past,
    IReadOnlyList<string> Served,
    int? TrafficPercent,
    DateTimeOffset? TrafficAsOf)
{
    public static string Key(string endpoint, string deployment) => $"{endpoint}/{deployment}";

    /// <summary>When what it serves last changed (a roll-out or its removal): older roll-outs arriving late are stale.</summary>
    public DateTimeOffset? LastChangedAt() => Current?.Since ?? (Past.Count > 0 ? Past[0].Until : null);

    public static string ServedKey(string model, int version) => $"{model}@{version}";

    public static EndpointDeployment New(string endpoint, string deployment) =>
        new(Key(endpoint, deployment), endpoint, deployment, Current: null, Past: [], Served: [], TrafficPercent: null, TrafficAsOf: null);

    public EndpointDeployment RolledOut(string model, int version, bool rollback, DateTimeOffset at)
    {
        var key = ServedKey(model, version);
        return Ended(at) with
        {
            Current = new ServingPeriod(model, version, at, Until: null, rollback, TrafficPercent),
            Served = Served.Contains(key) ? Served : [.. Served, key],
        };
    }

    /// <summary>The current period, if any, moves to the past, ending at <paramref name="at"/>.</summary>
    public EndpointDeployment Ended(DateTimeOffset at) =>
        Current is { } current ? this with { Current = null, Past = [current with { Until = at }, .. Past] } : this;

    public EndpointDeployment WithTraffic(int percent, DateTimeOffset at) => this with
    {
        TrafficPercent = percent,
        TrafficAsOf = at,
        Current = Current is { } current ? current with { TrafficPercent = percent } : null,
    };
}

/// <summary>A time a deployment served one model version.</summary>
/// <param name="Until">Null while it still serves it.</param>
/// <param name="Rollback">It started serving the version through a rollback.</param>
/// <param name="TrafficPercent">Its last announced share of the endpoint's traffic while serving the version.</param>
public sealed record ServingPeriod(string Model, int Version, DateTimeOffset Since, DateTimeOffset? Until, bool Rollback, int? TrafficPercent);

/// <summary>A message from another service already handled: a redelivery finds it and changes nothing.</summary>
public sealed record ConsumedMessage(string Id, string MessageType, DateTimeOffset ConsumedAt);
