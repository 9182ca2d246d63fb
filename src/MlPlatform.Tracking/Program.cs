using MlPlatform.Hosting.Grpc;
using MlPlatform.Tracking;
using MlPlatform.Tracking.Grpc;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapGrpcApi<TrackingService>();

app.Run();

public partial class Program;
