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
        var pageSize = Paging.PageSize(request.PageSize);
        var after = Paging.After(request.PageToken) ?? string.Empty;

        // Job ids are version-7 GUIDs, so id order is submission order.
        var page = await session.Query<TrainingJob>()
            .Where(j => j.Id.CompareTo(after) > 0)
            .OrderBy(j => j.Id)
            .Take(pageSize + 1)
            .ToListAsync(context.CancellationToken);

        var response = new BuildsApi.ListTrainingJobsResponse();
        response.Jobs.AddRange(page.Take(pageSize).Select(ToApi));
        if (page.Count > pageSize)
        {
            response.NextPageToken = Paging.Token(page[pageSize - 1].Id);
        }

        return response;
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
