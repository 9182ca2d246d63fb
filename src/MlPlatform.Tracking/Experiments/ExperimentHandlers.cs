using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Marten;
using MlPlatform.Hosting.Grpc;
using MlPlatform.Hosting.Validation;
using Npgsql;
using TrackingApi = MlPlatform.Api.Tracking.V1;

namespace MlPlatform.Tracking.Experiments;

internal static class ExperimentHandlers
{
    public static async Task<TrackingApi.Experiment> CreateAsync(IDocumentSession session, TrackingApi.CreateExperimentRequest request, CancellationToken cancellationToken)
    {
        var name = ResourceName.Validate(request.Name, "Experiment");
        if (await session.Query<Experiment>().AnyAsync(e => e.Name == name, cancellationToken))
        {
            throw AlreadyExists(name);
        }

        var created = new ExperimentCreated(Guid.CreateVersion7().ToString("N"), name, request.Tags.ToDictionary(), DateTimeOffset.UtcNow);
        session.Events.StartStream<Experiment>(created.Id, created);
        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (Exception ex) when (IsUniqueViolation(ex))
        {
            throw AlreadyExists(name); // a concurrent create won the race for the name
        }

        return ToApi(Experiment.Create(created));
    }

    public static async Task<TrackingApi.Experiment> GetAsync(IQuerySession session, string nameOrId, CancellationToken cancellationToken) =>
        ToApi(await ExperimentLookup.GetAsync(session, nameOrId, cancellationToken));

    public static async Task<TrackingApi.ListExperimentsResponse> ListAsync(IQuerySession session, TrackingApi.ListExperimentsRequest request, CancellationToken cancellationToken)
    {
        var pageSize = Paging.PageSize(request.PageSize);
        var after = Paging.After(request.PageToken) ?? string.Empty;
        var page = await session.Query<Experiment>()
            .Where(e => (request.IncludeArchived || !e.Archived) && e.Name.CompareTo(after) > 0)
            .OrderBy(e => e.Name)
            .Take(pageSize + 1)
            .ToListAsync(cancellationToken);

        var response = new TrackingApi.ListExperimentsResponse();
        response.Experiments.AddRange(page.Take(pageSize).Select(ToApi));
        if (page.Count > pageSize)
        {
            response.NextPageToken = Paging.Token(page[pageSize - 1].Name);
        }

        return response;
    }

    /// <summary>Archive or restore; doing it twice changes nothing.</summary>
    public static async Task<TrackingApi.Experiment> SetArchivedAsync(IDocumentSession session, string nameOrId, bool archived, CancellationToken cancellationToken)
    {
        var id = (await ExperimentLookup.GetAsync(session, nameOrId, cancellationToken)).Id;
        var stream = await session.Events.FetchForExclusiveWriting<Experiment>(id, cancellationToken);
        var experiment = stream.Aggregate!;
        if (experiment.Archived == archived)
        {
            return ToApi(experiment);
        }

        stream.AppendOne(archived ? new ExperimentArchived(DateTimeOffset.UtcNow) : new ExperimentRestored(DateTimeOffset.UtcNow));
        await session.SaveChangesAsync(cancellationToken);
        return ToApi(experiment with { Archived = archived });
    }

    private static TrackingApi.Experiment ToApi(Experiment experiment) => new()
    {
        Id = experiment.Id,
        Name = experiment.Name,
        Tags = { experiment.Tags.ToDictionary() },
        CreatedAt = Timestamp.FromDateTimeOffset(experiment.CreatedAt),
        Archived = experiment.Archived,
    };

    private static RpcException AlreadyExists(string name) => Errors.AlreadyExists($"Experiment '{name}' already exists.");

    private static bool IsUniqueViolation(Exception? ex) =>
        ex is not null && (ex is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } || IsUniqueViolation(ex.InnerException));
}
