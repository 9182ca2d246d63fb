using Grpc.Core;
using Marten;
using MlPlatform.BlobStorage;
using MlPlatform.Tracking.Experiments;
using MlPlatform.Tracking.Metrics;
using MlPlatform.Tracking.Runs;
using MlPlatform.Tracking.Search;
using TrackingApi = MlPlatform.Api.Tracking.V1;

namespace MlPlatform.Tracking.Grpc;

/// <summary>The gRPC surface: each call hands over to its use case.</summary>
internal sealed class TrackingService(
    IDocumentSession session,
    RunReader runs,
    LatestMetrics latestMetrics,
    MetricWriter metricWriter,
    MetricHistoryReader metricHistory,
    SearchRuns search,
    IBlobStore blobs) : TrackingApi.Tracking.TrackingBase
{
    // Experiments

    public override Task<TrackingApi.Experiment> CreateExperiment(TrackingApi.CreateExperimentRequest request, ServerCallContext context) =>
        ExperimentHandlers.CreateAsync(session, request, context.CancellationToken);

    public override Task<TrackingApi.Experiment> GetExperiment(TrackingApi.GetExperimentRequest request, ServerCallContext context) =>
        ExperimentHandlers.GetAsync(session, request.Name, context.CancellationToken);

    public override Task<TrackingApi.ListExperimentsResponse> ListExperiments(TrackingApi.ListExperimentsRequest request, ServerCallContext context) =>
        ExperimentHandlers.ListAsync(session, request, context.CancellationToken);

    public override Task<TrackingApi.Experiment> ArchiveExperiment(TrackingApi.ArchiveExperimentRequest request, ServerCallContext context) =>
        ExperimentHandlers.SetArchivedAsync(session, request.Name, archived: true, context.CancellationToken);

    public override Task<TrackingApi.Experiment> RestoreExperiment(TrackingApi.RestoreExperimentRequest request, ServerCallContext context) =>
        ExperimentHandlers.SetArchivedAsync(session, request.Name, archived: false, context.CancellationToken);

    // Runs

    public override Task<TrackingApi.Run> StartRun(TrackingApi.StartRunRequest request, ServerCallContext context) =>
        Runs.StartRun.HandleAsync(session, request, context.CancellationToken);

    public override Task<TrackingApi.Run> EndRun(TrackingApi.EndRunRequest request, ServerCallContext context) =>
        Runs.EndRun.HandleAsync(session, latestMetrics, request, context.CancellationToken);

    public override Task<TrackingApi.Run> GetRun(TrackingApi.GetRunRequest request, ServerCallContext context) =>
        runs.GetAsync(request.RunId, context.CancellationToken);

    public override Task<TrackingApi.Run> DeleteRun(TrackingApi.DeleteRunRequest request, ServerCallContext context) =>
        Runs.DeleteRun.DeleteAsync(session, runs, request.RunId, context.CancellationToken);

    public override Task<TrackingApi.Run> RestoreRun(TrackingApi.RestoreRunRequest request, ServerCallContext context) =>
        Runs.DeleteRun.RestoreAsync(session, runs, request.RunId, context.CancellationToken);

    public override Task<TrackingApi.GetRunHistoryResponse> GetRunHistory(TrackingApi.GetRunHistoryRequest request, ServerCallContext context) =>
        RunHistory.HandleAsync(session, request, context.CancellationToken);

    // Params and tags

    public override Task<TrackingApi.LogParamsResponse> LogParams(TrackingApi.LogParamsRequest request, ServerCallContext context) =>
        Params.LogParams.HandleAsync(session, request, context.CancellationToken);

    public override Task<TrackingApi.SetTagsResponse> SetTags(TrackingApi.SetTagsRequest request, ServerCallContext context) =>
        Tags.SetTags.HandleAsync(session, request, context.CancellationToken);

    // Metrics

    public override Task<TrackingApi.LogMetricsResponse> LogMetrics(TrackingApi.LogMetricsRequest request, ServerCallContext context) =>
        Metrics.LogMetrics.HandleAsync(metricWriter, request, context.CancellationToken);

    public override Task<TrackingApi.LogMetricsResponse> StreamMetrics(IAsyncStreamReader<TrackingApi.StreamMetricsRequest> requestStream, ServerCallContext context) =>
        Metrics.LogMetrics.HandleStreamAsync(metricWriter, requestStream, context.CancellationToken);

    public override Task<TrackingApi.MetricHistory> GetMetricHistory(TrackingApi.GetMetricHistoryRequest request, ServerCallContext context) =>
        metricHistory.ReadAsync(request, context.CancellationToken);

    // Search

    public override Task<TrackingApi.SearchRunsResponse> SearchRuns(TrackingApi.SearchRunsRequest request, ServerCallContext context) =>
        search.HandleAsync(request, context.CancellationToken);

    // Artifacts

    public override Task<TrackingApi.Artifact> UploadArtifact(IAsyncStreamReader<TrackingApi.UploadArtifactRequest> requestStream, ServerCallContext context) =>
        Artifacts.UploadArtifact.HandleAsync(session, blobs, requestStream, context.CancellationToken);

    public override Task DownloadArtifact(TrackingApi.DownloadArtifactRequest request, IServerStreamWriter<TrackingApi.DownloadArtifactResponse> responseStream, ServerCallContext context) =>
        Artifacts.DownloadArtifact.HandleAsync(session, blobs, request, responseStream, context.CancellationToken);

    public override Task<TrackingApi.ListArtifactsResponse> ListArtifacts(TrackingApi.ListArtifactsRequest request, ServerCallContext context) =>
        Artifacts.ListArtifacts.HandleAsync(session, request, context.CancellationToken);
}
