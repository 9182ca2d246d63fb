using System.Globalization;
using MlPlatform.Api.Tracking.V1;

namespace MlPlatform.Client;

/// <summary>The few-lines way to log a run: <c>await using var run = await tracking.StartRunAsync("churn");</c>.</summary>
public static class TrackingClientExtensions
{
    /// <summary>
    /// Starts a run in <paramref name="experiment"/> with what <paramref name="options"/> gives (name,
    /// parent run, params, tags, dataset inputs) and returns it for logging. Dispose it: disposing
    /// ends it <c>FINISHED</c>; to end it <c>FAILED</c> when training throws, call
    /// <see cref="ActiveRun.EndAsync"/> or use <see cref="RunAsync"/>.
    /// </summary>
    /// <param name="client">The tracking client, e.g. injected after <c>services.AddMlPlatformClient()</c>.</param>
    /// <param name="experiment">The experiment's name or id.</param>
    /// <param name="options">The run's name, parent, params, tags, dataset inputs and batching; defaults when null.</param>
    /// <param name="cancellationToken">Cancels starting the run.</param>
    public static async Task<ActiveRun> StartRunAsync(
        this Tracking.TrackingClient client, string experiment, RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(experiment);
        options ??= new RunOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1, "options.BatchSize");
        // The service takes up to 10 000 points per call.
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.BatchSize, 10_000, "options.BatchSize");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxBufferedPoints, options.BatchSize, "options.MaxBufferedPoints");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.FlushInterval, TimeSpan.Zero, "options.FlushInterval");
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.FlushInterval, TimeSpan.FromMilliseconds(int.MaxValue), "options.FlushInterval");

        var request = new StartRunRequest
        {
            Experiment = experiment,
            RunName = options.Name ?? "",
            ParentRunId = options.ParentRunId ?? "",
            DatasetInputs = { options.DatasetInputs.Select(ParseDatasetInput) },
        };
        request.Tags.Add(options.Tags);
        var run = await client.StartRunAsync(request, cancellationToken: cancellationToken);
        if (options.Params.Count > 0)
        {
            try
            {
                await client.LogParamsAsync(new LogParamsRequest { RunId = run.RunId, Params = { options.Params } }, cancellationToken: cancellationToken);
            }
            catch (Exception)
            {
                // Nobody can log to this run any more: do not leave it RUNNING.
                await client.EndRunAsync(new EndRunRequest { RunId = run.RunId, Status = RunStatus.Failed }, cancellationToken: CancellationToken.None);
                throw;
            }
        }

        return new ActiveRun(client, run, options);
    }

    /// <summary>
    /// Starts a run, runs <paramref name="train"/> with it, and ends it: <c>FINISHED</c> when
    /// <paramref name="train"/> returns, <c>FAILED</c> when it throws — then the exception is rethrown
    /// (as an <see cref="AggregateException"/> with the ending's error if ending failed as well).
    /// </summary>
    /// <param name="client">The tracking client.</param>
    /// <param name="experiment">The experiment's name or id.</param>
    /// <param name="train">The code that trains and logs to the run.</param>
    /// <param name="options">As for <see cref="StartRunAsync"/>.</param>
    /// <param name="cancellationToken">Cancels starting the run; pass it on to <paramref name="train"/> yourself.</param>
    public static async Task RunAsync(
        this Tracking.TrackingClient client, string experiment, Func<ActiveRun, Task> train, RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        await using var run = await client.StartRunAsync(experiment, options, cancellationToken);
        try
        {
            await train(run);
        }
        catch (Exception error)
        {
            try
            {
                await run.EndAsync(RunStatus.Failed, CancellationToken.None);
            }
            catch (Exception endError)
            {
                throw new AggregateException(error, endError);
            }

            throw;
        }
    }

    private static DatasetInput ParseDatasetInput(string input)
    {
        var at = input.LastIndexOf('@');
        if (at <= 0 || !int.TryParse(input.AsSpan(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            throw new ArgumentException($"Dataset input '{input}' is not name@version, as in churn@3.");
        }

        return new DatasetInput { Name = input[..at], Version = version };
    }
}
