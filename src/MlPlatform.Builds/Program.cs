using MlPlatform.Builds;
using MlPlatform.Builds.Grpc;
using MlPlatform.Hosting.Grpc;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapGrpcApi<BuildsService>();

app.Run();

public partial class Program;
