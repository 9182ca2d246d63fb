using MlPlatform.Hosting.Grpc;
using MlPlatform.Registry;
using MlPlatform.Registry.Grpc;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapGrpcApi<RegistryService>();

app.Run();

public partial class Program;
