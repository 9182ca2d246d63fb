using MlPlatform.Tracking;
using MlPlatform.Tracking.Grpc;
using MlPlatform.Hosting.Grpc;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapGrpcApi<TrackingService>();

app.Run();

public partial class Program;
