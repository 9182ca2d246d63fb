namespace MlPlatform.Gateway.Security;

/// <summary>The roles an API key can have; a set of them says who may make a call.</summary>
[Flags]
public enum Roles
{
    None = 0,

    /// <summary>Get, list, search, download and history.</summary>
    Reader = 1,

    /// <summary>Predict only.</summary>
    Scorer = 2,

    /// <summary>Reader, plus create, upload, log, register, alias, submit and deploy.</summary>
    Contributor = 4,

    /// <summary>Everything, including API keys and deletes.</summary>
    Admin = 8,
}

public static class RoleNames
{
    public const string Reader = "reader";
    public const string Scorer = "scorer";
    public const string Contributor = "contributor";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Reader, Scorer, Contributor, Admin];

    /// <summary>The one role named <paramref name="name"/>, or <see cref="Roles.None"/>.</summary>
    public static Roles Parse(string? name) => name switch
    {
        Reader => Roles.Reader,
        Scorer => Roles.Scorer,
        Contributor => Roles.Contributor,
        Admin => Roles.Admin,
        _ => Roles.None,
    };

    /// <summary>The names of the roles in a set, in the order reader, scorer, contributor, admin.</summary>
    public static IEnumerable<string> Names(Roles roles) => All.Where(name => (roles & Parse(name)) != 0);
}
