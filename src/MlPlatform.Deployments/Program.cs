using MlPlatform.Deployments;
using MlPlatform.Deployments.Grpc;
using MlPlatform.Hosting.Grpc;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapGrpcApi<DeploymentsService>();

app.Run();

public partial class Program;
