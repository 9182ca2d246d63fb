using MlPlatform.Benchmarks.Harness;
using MlPlatform.Benchmarks.Scenarios;

// Every scenario the harness knows; add new ones here (see Harness/IScenario.cs).
IScenario[] scenarios =
[
    new UploadScenario(),
    new CsvInspectScenario(),
    new GrpcEchoScenario(),
    new GrpcEchoAuthScenario(),
    new TrackingIngestScenario(),
    new TrackingHistoryScenario(),
    new TrackingSearchScenario(),
];
return await Runner.RunAsync(args, scenarios);
