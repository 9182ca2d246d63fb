using System.Collections.Frozen;

namespace MlPlatform.Gateway.Security;

/// <summary>
/// THE table: every RPC of the platform API (full name <c>package.Service/Method</c>) and the roles
/// allowed to call it. The gateway enforces exactly this for gRPC and, through the
/// <c>google.api.http</c> annotations, for REST; a test fails when an RPC in <c>proto/</c> is
/// missing here, and another when the README's table differs from it. A call the table does not
/// know is refused to everyone but admins.
/// </summary>
public static class RpcPermissions
{
    /// <summary>reader (get/list/search/download/history), contributor and admin.</summary>
    public const Roles Read = Roles.Reader | Roles.Contributor | Roles.Admin;

    /// <summary>contributor and admin: create, upload, log, register, alias, submit, deploy.</summary>
    public const Roles Contribute = Roles.Contributor | Roles.Admin;

    /// <summary>scorer and admin: Predict.</summary>
    public const Roles Score = Roles.Scorer | Roles.Admin;

    /// <summary>admin only: API keys, deletes and their undoing.</summary>
    public const Roles AdminOnly = Roles.Admin;

    /// <summary>Any valid key.</summary>
    public const Roles AnyRole = Roles.Reader | Roles.Scorer | Roles.Contributor | Roles.Admin;

    /// <summary>What a call the table does not know needs.</summary>
    public const Roles Unknown = AdminOnly;

    private const string Datasets = "mlplatform.datasets.v1.Datasets/";
    private const string Tracking = "mlplatform.tracking.v1.Tracking/";
    private const string Registry = "mlplatform.registry.v1.Registry/";
    private const string Builds = "mlplatform.builds.v1.Builds/";
    private const string Deployments = "mlplatform.deployments.v1.Deployments/";
    private const string Access = "mlplatform.access.v1.Access/";

    public static readonly FrozenDictionary<string, Roles> Table = new Dictionary<string, Roles>(StringComparer.Ordinal)
    {
        [Datasets + "CreateDataset"] = Contribute,
        [Datasets + "GetDataset"] = Read,
        [Datasets + "ListDatasets"] = Read,
        [Datasets + "UploadDatasetVersion"] = Contribute,
        [Datasets + "GetDatasetVersion"] = Read,
        [Datasets + "ListDatasetVersions"] = Read,
        [Datasets + "DownloadDatasetVersion"] = Read,
        [Datasets + "DeprecateDatasetVersion"] = Contribute,
        [Datasets + "GetDatasetHistory"] = Read,

        [Tracking + "CreateExperiment"] = Contribute,
        [Tracking + "GetExperiment"] = Read,
        [Tracking + "ListExperiments"] = Read,
        [Tracking + "ArchiveExperiment"] = AdminOnly,
        [Tracking + "RestoreExperiment"] = AdminOnly,
        [Tracking + "StartRun"] = Contribute,
        [Tracking + "EndRun"] = Contribute,
        [Tracking + "GetRun"] = Read,
        [Tracking + "DeleteRun"] = AdminOnly,
        [Tracking + "RestoreRun"] = AdminOnly,
        [Tracking + "GetRunHistory"] = Read,
        [Tracking + "LogParams"] = Contribute,
        [Tracking + "SetTags"] = Contribute,
        [Tracking + "LogMetrics"] = Contribute,
        [Tracking + "StreamMetrics"] = Contribute,
        [Tracking + "GetMetricHistory"] = Read,
        [Tracking + "SearchRuns"] = Read,
        [Tracking + "UploadArtifact"] = Contribute,
        [Tracking + "DownloadArtifact"] = Read,
        [Tracking + "ListArtifacts"] = Read,

        [Registry + "CreateRegisteredModel"] = Contribute,
        [Registry + "GetRegisteredModel"] = Read,
        [Registry + "ListRegisteredModels"] = Read,
        [Registry + "CreateModelVersion"] = Contribute,
        [Registry + "GetModelVersion"] = Read,
        [Registry + "ListModelVersions"] = Read,
        [Registry + "SetAlias"] = Contribute,
        [Registry + "DeleteAlias"] = Contribute,
        [Registry + "GetModelVersionByAlias"] = Read,
        [Registry + "SetModelVersionTag"] = Contribute,
        [Registry + "DeleteModelVersionTag"] = Contribute,
        [Registry + "DeprecateModelVersion"] = Contribute,
        [Registry + "GetLineage"] = Read,
        [Registry + "GetModelHistory"] = Read,

        [Builds + "ListTrainingJobs"] = Read,

        [Deployments + "ListEndpoints"] = Read,

        [Access + "CreateApiKey"] = AdminOnly,
        [Access + "ListApiKeys"] = AdminOnly,
        [Access + "RevokeApiKey"] = AdminOnly,
        [Access + "WhoAmI"] = AnyRole,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Served by the gateway itself beside the API: server reflection describes the public API to any key.</summary>
    public static readonly FrozenDictionary<string, Roles> GatewayServices = new Dictionary<string, Roles>(StringComparer.Ordinal)
    {
        ["grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo"] = AnyRole,
        ["grpc.reflection.v1.ServerReflection/ServerReflectionInfo"] = AnyRole,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, Roles>.AlternateLookup<ReadOnlySpan<char>> s_table = Table.GetAlternateLookup<ReadOnlySpan<char>>();
    private static readonly FrozenDictionary<string, Roles>.AlternateLookup<ReadOnlySpan<char>> s_gateway = GatewayServices.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The roles allowed to call <paramref name="rpc"/> (<c>package.Service/Method</c>); no allocation, since every gRPC call asks.</summary>
    public static Roles For(ReadOnlySpan<char> rpc) =>
        s_table.TryGetValue(rpc, out var roles) || s_gateway.TryGetValue(rpc, out roles) ? roles : Unknown;
}
