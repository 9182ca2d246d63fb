using Google.Protobuf.WellKnownTypes;
using Marten;
using Marten.Linq.MatchesSql;
using MlPlatform.Api.Registry.V1;
using MlPlatform.Registry.Deployments;
using MlPlatform.Registry.Grpc;
using MlPlatform.Registry.ModelCatalog;

namespace MlPlatform.Registry.Lineage;

internal static class GetLineageHandler
{
    /// <summary>
    /// Datasets → run → version, as captured at registration (so it answers even when Tracking
    /// does not), and the deployments that served the version, from the Deployments replica.
    /// </summary>
    public static async Task<Api.Registry.V1.Lineage> HandleAsync(IQuerySession session, GetLineageRequest request, CancellationToken cancellationToken)
    {
        var (model, version) = await Catalog.FindAsync(session, request.Model, request.Version, cancellationToken);
        var served = EndpointDeployment.ServedKey(model.Id, version.Number);
        var deployments = await session.Query<EndpointDeployment>()
            .Where(d => d.MatchesSql("jsonb_exists(d.data -> 'Served', ?)", served))
            .ToListAsync(cancellationToken);

        bool IsThisVersion(ServingPeriod p) => p.Model == model.Id && p.Version == version.Number;
        var run = version.Run;
        return new Api.Registry.V1.Lineage
        {
            Datasets = { run.Datasets.Select(ApiMapping.ToApi) },
            Run = new LineageRun
            {
                RunId = run.RunId,
                RunName = run.RunName,
                ExperimentId = run.ExperimentId,
                ExperimentName = run.ExperimentName,
                StartTime = Timestamp.FromDateTimeOffset(run.StartTime),
                EndTime = run.EndTime is { } end ? Timestamp.FromDateTimeOffset(end) : null,
                Metrics = { run.Metrics.ToDictionary() },
                Params = { run.Params.ToDictionary() },
            },
            ModelVersion = version.ToApi(model),
            Serving =
            {
                deployments
                    .Where(d => d.Current is { } current && IsThisVersion(current))
                    .OrderBy(d => d.Id, StringComparer.Ordinal)
                    .Select(d => ToApi(d, d.Current!)),
            },
            PreviouslyServed =
            {
                deployments
                    .SelectMany(d => d.Past.Where(IsThisVersion).Select(period => (Deployment: d, Period: period)))
                    .OrderByDescending(p => p.Period.Until)
                    .Select(p => ToApi(p.Deployment, p.Period)),
            },
        };
    }

    private static LineageDeployment ToApi(EndpointDeployment deployment, ServingPeriod period)
    {
        var api = new LineageDeployment
        {
            Endpoint = deployment.Endpoint,
            Deployment = deployment.Deployment,
            Since = Timestamp.FromDateTimeOffset(period.Since),
            Until = period.Until is { } until ? Timestamp.FromDateTimeOffset(until) : null,
            Current = period.Until is null,
            Rollback = period.Rollback,
        };
        if (period.TrafficPercent is { } percent)
        {
            api.TrafficPercent = percent;
        }

        return api;
    }
}
