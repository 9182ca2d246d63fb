using MlPlatform.Gateway.Health;
using MlPlatform.Gateway.Reflection;
using MlPlatform.Gateway.Routing;
using MlPlatform.Gateway.Security;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddDownstreamHealthChecks();
var security = builder.AddGatewaySecurity();
builder.Services.AddGrpc().AddJsonTranscoding();
builder.Services.AddPlatformReflection();
builder.Services.AddReverseProxy()
    .LoadFromMemory(ProxyRoutes.Routes(security.MaxRequestBodyBytes), ProxyRoutes.Clusters())
    .AddServiceDiscoveryDestinationResolver()
    .AddIdentityForwarding();

var app = builder.Build();

app.UseGatewaySecurity(security);
app.MapDefaultEndpoints();
app.MapDownstreamHealth();
app.MapAccess(security);
app.MapPlatformReflection();
app.MapReverseProxy(proxy => proxy.UseForwarderErrors());

app.Run();

public partial class Program;
