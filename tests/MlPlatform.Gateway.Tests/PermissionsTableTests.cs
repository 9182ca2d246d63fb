using MlPlatform.Gateway.Security;
using Xunit;

namespace MlPlatform.Gateway.Tests;

/// <summary>The role table covers exactly the RPCs in proto/, and the README shows the same table.</summary>
public sealed class PermissionsTableTests
{
    private const string Begin = "<!-- rpc-roles:begin (generated from src/MlPlatform.Gateway/Security/RpcPermissions.cs; a test checks it) -->";
    private const string End = "<!-- rpc-roles:end -->";

    [Fact]
    public void Every_rpc_in_every_proto_is_in_the_table()
    {
        var missing = ApiDescriptors.Methods.Select(ApiDescriptors.FullName).Where(rpc => !RpcPermissions.Table.ContainsKey(rpc)).ToList();

        Assert.True(missing.Count == 0, $"Add these RPCs to RpcPermissions.Table (and the README): {string.Join(", ", missing)}");
    }

    [Fact]
    public void The_table_names_no_rpc_that_does_not_exist()
    {
        var known = ApiDescriptors.Methods.Select(ApiDescriptors.FullName).ToHashSet(StringComparer.Ordinal);

        Assert.Empty(RpcPermissions.Table.Keys.Where(rpc => !known.Contains(rpc)));
    }

    [Fact]
    public void Every_proto_service_is_found()
    {
        Assert.Equal(
            ["mlplatform.access.v1.Access", "mlplatform.builds.v1.Builds", "mlplatform.datasets.v1.Datasets", "mlplatform.deployments.v1.Deployments", "mlplatform.registry.v1.Registry", "mlplatform.tracking.v1.Tracking"],
            ApiDescriptors.Services.Select(s => s.FullName));
    }

    [Fact]
    public void The_readme_table_is_the_code_table()
    {
        var readme = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "README.md"));
        var start = readme.IndexOf(Begin, StringComparison.Ordinal);
        var end = readme.IndexOf(End, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"README.md needs the generated table between '{Begin}' and '{End}'.");

        var inReadme = readme[(start + Begin.Length)..end].Trim().ReplaceLineEndings("\n");

        Assert.True(inReadme == Markdown(), $"README.md's role table differs from the code; replace it with:\n{Markdown()}");
    }

    /// <summary>The README table: one row per RPC, in proto order, with a mark per role and its REST route.</summary>
    public static string Markdown()
    {
        var lines = new List<string>
        {
            "| RPC | REST | reader | scorer | contributor | admin |",
            "|---|---|:-:|:-:|:-:|:-:|",
        };
        foreach (var method in ApiDescriptors.Methods)
        {
            var rpc = ApiDescriptors.FullName(method);
            var roles = RpcPermissions.For(rpc);
            var rest = string.Join("<br>", RestRoutes.Declared([method]).Select(r => $"`{r.Verb} {r.Template}`"));
            var marks = RoleNames.All.Select(role => (roles & RoleNames.Parse(role)) != 0 ? "✓" : "");
            lines.Add($"| `{method.Service.Name}/{method.Name}` | {rest} | {string.Join(" | ", marks)} |");
        }

        return string.Join('\n', lines);
    }
}
