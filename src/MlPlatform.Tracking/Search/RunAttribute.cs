namespace MlPlatform.Tracking.Search;

/// <summary>The <c>attributes.*</c> fields: columns of the flat <c>runs</c> table.</summary>
internal sealed record RunAttribute(string Name, string Column, bool IsTime, bool Nullable)
{
    private static readonly RunAttribute[] s_all =
    [
        new("run_id", "r.run_id", IsTime: false, Nullable: false),
        new("run_name", "r.run_name", IsTime: false, Nullable: false),
        new("status", "r.status", IsTime: false, Nullable: false),
        new("start_time", "r.start_time", IsTime: true, Nullable: false),
        new("end_time", "r.end_time", IsTime: true, Nullable: true),
        new("experiment_id", "r.experiment_id", IsTime: false, Nullable: false),
        new("parent_run_id", "r.parent_run_id", IsTime: false, Nullable: true),
    ];

    public static RunAttribute Find(Field field) =>
        s_all.FirstOrDefault(a => a.Name.Equals(field.Key, StringComparison.OrdinalIgnoreCase))
        ?? throw new SearchSyntaxException(
            $"unknown attribute '{field.Key}'; attributes are {string.Join(", ", s_all.Select(a => a.Name))}", field.Position);
}
