using MlPlatform.Gateway.Access;
using MlPlatform.Gateway.Health;
using MlPlatform.Gateway.Routing;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddDownstreamHealthChecks();
builder.Services.AddGrpc();
builder.Services.AddGrpcReflection();
builder.Services.AddReverseProxy()
    .LoadFromMemory(ProxyRoutes.Routes(), ProxyRoutes.Clusters())
    .AddServiceDiscoveryDestinationResolver();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapDownstreamHealth();
app.MapGrpcService<AccessService>();
app.MapGrpcReflectionService();
app.MapReverseProxy();

app.Run();

public partial class Program;
