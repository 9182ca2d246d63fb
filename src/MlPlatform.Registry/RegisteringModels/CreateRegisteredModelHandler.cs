using Marten;
using Marten.Exceptions;
using MlPlatform.Api.Registry.V1;
using MlPlatform.Hosting.Grpc;
using MlPlatform.Hosting.Validation;
using MlPlatform.Registry.ModelCatalog;
using RegisteredModel = MlPlatform.Registry.ModelCatalog.RegisteredModel;

namespace MlPlatform.Registry.RegisteringModels;

internal static class CreateRegisteredModelHandler
{
    public static async Task<RegisteredModel> HandleAsync(ISessionFactory sessions, CreateRegisteredModelRequest request, CancellationToken cancellationToken)
    {
        var name = ResourceName.Validate(request.Name, "Model");
        var created = new RegisteredModelCreated(name, request.Description, Tags.Validate(request.Tags), DateTimeOffset.UtcNow);
        await using var session = sessions.OpenSession();
        session.Events.StartStream<RegisteredModel>(name, created);
        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (ExistingStreamIdCollisionException)
        {
            throw Errors.AlreadyExists($"Model '{name}' already exists.");
        }

        return RegisteredModel.Create(created);
    }
}
