using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Marten;
using MlPlatform.Hosting.Grpc;
using MlPlatform.Hosting.Validation;
using MlPlatform.Tracking.Experiments;
using TrackingApi = MlPlatform.Api.Tracking.V1;

namespace MlPlatform.Tracking.Grpc;

public sealed class TrackingService(IDocumentSession session) : TrackingApi.Tracking.TrackingBase
{
    public override async Task<TrackingApi.Experiment> CreateExperiment(TrackingApi.CreateExperimentRequest request, ServerCallContext context)
    {
        var name = ResourceName.Validate(request.Name, "Experiment");
        if (await session.Query<Experiment>().AnyAsync(e => e.Name == name, context.CancellationToken))
        {
            throw Errors.AlreadyExists($"Experiment '{name}' already exists.");
        }

        var created = new ExperimentCreated(Guid.CreateVersion7().ToString("N"), name, request.Tags.ToDictionary(), DateTimeOffset.UtcNow);
        session.Events.StartStream<Experiment>(created.Id, created);
        await session.SaveChangesAsync(context.CancellationToken);
        return ToApi(Experiment.Create(created));
    }

    public override async Task<TrackingApi.Experiment> GetExperiment(TrackingApi.GetExperimentRequest request, ServerCallContext context)
    {
        var experiment = await session.Query<Experiment>()
            .FirstOrDefaultAsync(e => e.Name == request.Name || e.Id == request.Name, context.CancellationToken)
            ?? throw Errors.NotFound($"Experiment '{request.Name}' does not exist.");
        return ToApi(experiment);
    }

    public override async Task<TrackingApi.ListExperimentsResponse> ListExperiments(TrackingApi.ListExperimentsRequest request, ServerCallContext context)
    {
        var pageSize = Paging.PageSize(request.PageSize);
        var after = Paging.After(request.PageToken) ?? string.Empty;
        var page = await session.Query<Experiment>()
            .Where(e => (request.IncludeArchived || !e.Archived) && string.CompareOrdinal(e.Name, after) > 0)
            .OrderBy(e => e.Name)
            .Take(pageSize + 1)
            .ToListAsync(context.CancellationToken);

        var response = new TrackingApi.ListExperimentsResponse();
        response.Experiments.AddRange(page.Take(pageSize).Select(ToApi));
        if (page.Count > pageSize)
        {
            response.NextPageToken = Paging.Token(page[pageSize - 1].Name);
        }

        return response;
    }

    private static TrackingApi.Experiment ToApi(Experiment experiment) => new()
    {
        Id = experiment.Id,
        Name = experiment.Name,
        Tags = { experiment.Tags.ToDictionary() },
        CreatedAt = Timestamp.FromDateTimeOffset(experiment.CreatedAt),
        Archived = experiment.Archived,
    };
}
