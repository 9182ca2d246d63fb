using Marten;
using Marten.Exceptions;
using MlPlatform.Api.Datasets.V1;
using MlPlatform.Datasets.DatasetCatalog;
using MlPlatform.Hosting.Grpc;
using MlPlatform.Hosting.Validation;
using Dataset = MlPlatform.Datasets.DatasetCatalog.Dataset;

namespace MlPlatform.Datasets.CreatingDatasets;

internal static class CreateDatasetHandler
{
    public static async Task<Dataset> HandleAsync(ISessionFactory sessions, CreateDatasetRequest request, CancellationToken cancellationToken)
    {
        await using var session = sessions.OpenSession();
        var name = ResourceName.Validate(request.Name, "Dataset");
        var created = new DatasetCreated(name, request.Description, Tags.Validate(request.Tags), DateTimeOffset.UtcNow);
        session.Events.StartStream<Dataset>(name, created);
        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (ExistingStreamIdCollisionException)
        {
            throw Errors.AlreadyExists($"Dataset '{name}' already exists.");
        }

        return Dataset.Create(created);
    }
}
