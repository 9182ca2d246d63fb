namespace MlPlatform.Tracking.Params;

/// <summary>Params logged for the first time (keys already set with the same value are left out).</summary>
public sealed record ParamsLogged(IReadOnlyDictionary<string, string> Params);
