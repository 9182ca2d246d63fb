using MlPlatform.AppHost;
using MlPlatform.AppHost.Infrastructure;

var builder = DistributedApplication.CreateBuilder(args);

// Infrastructure: containers, local server processes or existing servers — whatever this machine has.
var infrastructure = builder.AddMlPlatformInfrastructure();

// Secrets: generated once, kept in the AppHost's user secrets (never in the repository).
var secrets = builder.AddPlatformSecrets();

// Services: each owns its schema in the shared database and talks to the others over RabbitMQ.
var datasets = builder.AddPlatformService<Projects.MlPlatform_Datasets>("datasets", infrastructure, secrets);
var tracking = builder.AddPlatformService<Projects.MlPlatform_Tracking>("tracking", infrastructure, secrets);
var registry = builder.AddPlatformService<Projects.MlPlatform_Registry>("registry", infrastructure, secrets)
    .WithReference(tracking);
var builds = builder.AddPlatformService<Projects.MlPlatform_Builds>("builds", infrastructure, secrets)
    .WithReference(datasets).WithReference(tracking).WithReference(registry);
var deployments = builder.AddPlatformService<Projects.MlPlatform_Deployments>("deployments", infrastructure, secrets)
    .WithReference(registry);

// Edge: the gateway is the one address users and tools call.
builder.AddGateway([datasets, tracking, registry, builds, deployments], infrastructure, secrets);

builder.Build().Run();
