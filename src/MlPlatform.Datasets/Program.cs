using MlPlatform.Datasets;
using MlPlatform.Datasets.Grpc;
using MlPlatform.Hosting.Grpc;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapGrpcApi<DatasetsService>();

app.Run();

public partial class Program;
