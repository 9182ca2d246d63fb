using MlPlatform.AppHost;
using MlPlatform.AppHost.Infrastructure;

var builder = DistributedApplication.CreateBuilder(args);

// Infrastructure: containers, local server processes or existing servers — whatever this machine has.
var infrastructure = builder.AddMlPlatformInfrastructure();

// Services: each owns its schema in the shared database and talks to the others over RabbitMQ.
var datasets = builder.AddPlatformService<Projects.MlPlatform_Datasets>("datasets", infrastructure);
var tracking = builder.AddPlatformService<Projects.MlPlatform_Tracking>("tracking", infrastructure);
var registry = builder.AddPlatformService<Projects.MlPlatform_Registry>("registry", infrastructure)
    .WithReference(tracking);
var builds = builder.AddPlatformService<Projects.MlPlatform_Builds>("builds", infrastructure)
    .WithReference(datasets).WithReference(tracking).WithReference(registry);
var deployments = builder.AddPlatformService<Projects.MlPlatform_Deployments>("deployments", infrastructure)
    .WithReference(registry);

// Edge: the gateway is the one address users and tools call.
builder.AddGateway([datasets, tracking, registry, builds, deployments]);

builder.Build().Run();
