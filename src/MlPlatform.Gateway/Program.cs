using MlPlatform.Gateway.Access;
using MlPlatform.Gateway.Health;
using MlPlatform.Gateway.Reflection;
using MlPlatform.Gateway.Routing;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddDownstreamHealthChecks();
builder.Services.AddGrpc();
builder.Services.AddPlatformReflection();
builder.Services.AddReverseProxy()
    .LoadFromMemory(ProxyRoutes.Routes(), ProxyRoutes.Clusters())
    .AddServiceDiscoveryDestinationResolver();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapDownstreamHealth();
app.MapGrpcService<AccessService>();
app.MapPlatformReflection();
app.MapReverseProxy();

app.Run();

public partial class Program;
