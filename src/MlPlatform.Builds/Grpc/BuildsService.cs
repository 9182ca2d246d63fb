using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Marten;
using MlPlatform.Builds.TrainingJobs;
using MlPlatform.Hosting.Grpc;
using BuildsApi = MlPlatform.Api.Builds.V1;

namespace MlPlatform.Builds.Grpc;

public sealed class BuildsService(IQuerySession session) : BuildsApi.Builds.BuildsBase
{
    public override async Task<BuildsApi.ListTrainingJobsResponse> ListTrainingJobs(BuildsApi.ListTrainingJobsRequest request, ServerCallContext context)
    {
        // Job ids are version-7 GUIDs, so id order is submission order.
        var page = await session.Query<TrainingJob>()
            .ToPageAsync(j => j.Id, request.PageToken, request.PageSize, context.CancellationToken);

        return new BuildsApi.ListTrainingJobsResponse
        {
            Jobs = { page.Items.Select(ToApi) },
            NextPageToken = page.NextPageToken,
        };
    }

    private static BuildsApi.TrainingJob ToApi(TrainingJob job) => new()
    {
        Id = job.Id,
        Dataset = job.Dataset,
        DatasetVersion = job.DatasetVersion,
        Status = job.Status switch
        {
            TrainingJobStatus.Queued => BuildsApi.TrainingJobStatus.Queued,
            TrainingJobStatus.Running => BuildsApi.TrainingJobStatus.Running,
            TrainingJobStatus.Succeeded => BuildsApi.TrainingJobStatus.Succeeded,
            TrainingJobStatus.Failed => BuildsApi.TrainingJobStatus.Failed,
            TrainingJobStatus.Cancelled => BuildsApi.TrainingJobStatus.Cancelled,
            _ => BuildsApi.TrainingJobStatus.Unspecified,
        },
        SubmittedAt = Timestamp.FromDateTimeOffset(job.SubmittedAt),
    };
}
