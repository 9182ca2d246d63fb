using Grpc.Core;
using MlPlatform.Api.Tracking.V1;

namespace MlPlatform.Client;

/// <summary>
/// A run being logged to, from <see cref="TrackingClientExtensions.StartRunAsync"/>. Metric points
/// from <see cref="LogMetric"/> are buffered and sent in the background, in batches of
/// <see cref="RunOptions.BatchSize"/> with <c>LogMetrics</c>, as soon as a batch is full or
/// <see cref="RunOptions.FlushInterval"/> has passed; one batch at a time, so points keep the order
/// they were logged in. If sending fails, the run takes no more points and the next
/// <see cref="LogMetric"/>, <see cref="FlushAsync"/>, <see cref="EndAsync"/> or
/// <see cref="DisposeAsync"/> throws a <see cref="MetricsNotStoredException"/>.
/// Disposing flushes and ends the run <c>FINISHED</c> unless it was ended or a failure was reported —
/// also when the code inside <c>await using</c> threw, so end it <c>FAILED</c> yourself or use
/// <see cref="TrackingClientExtensions.RunAsync"/>. <see cref="LogMetric"/> and
/// <see cref="FlushAsync"/> may be called from several threads.
/// </summary>
public sealed class ActiveRun : IAsyncDisposable
{
    // The service's limit; checked here so one bad key cannot fail a whole batch of good points.
    private const int MaxKeyLength = 250;

    private readonly Tracking.TrackingClient _client;
    private readonly int _batchSize;
    private readonly int _maxBufferedPoints;
    private readonly TimeSpan _flushInterval;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Task _flushLoop;

    // Guards the fields below. LogMetric waits on it (Monitor.Wait) while the buffer is full.
    private readonly object _gate = new();
    private readonly Queue<MetricPoint> _queue = new();
    private readonly Dictionary<string, long> _lastSteps = new(StringComparer.Ordinal);
    private long _logged;
    private long _stored;
    private long _flushTarget;
    private TaskCompletionSource _progress = NewSignal();
    private Exception? _failure;
    private bool _failureReported;
    private bool _ending;

    internal ActiveRun(Tracking.TrackingClient client, Run run, RunOptions options)
    {
        _client = client;
        RunId = run.RunId;
        ExperimentId = run.ExperimentId;
        Name = run.RunName;
        _batchSize = options.BatchSize;
        _maxBufferedPoints = options.MaxBufferedPoints;
        _flushInterval = options.FlushInterval;
        // On the thread pool, so the loop never needs the caller's synchronization context.
        _flushLoop = Task.Run(FlushLoopAsync);
    }

    /// <summary>The background sender: it ends once a send has failed and the failure is recorded.</summary>
    internal Task Sender => _flushLoop;

    /// <summary>The run's id, e.g. for <see cref="RunOptions.ParentRunId"/> of a nested run.</summary>
    public string RunId { get; }

    /// <summary>The id of the run's experiment.</summary>
    public string ExperimentId { get; }

    /// <summary>The run's name, as given or as the service generated it.</summary>
    public string Name { get; }

    /// <summary>
    /// Logs one point of metric <paramref name="key"/> and returns at once; the point is sent in the
    /// background. <paramref name="step"/> defaults to the key's previous step + 1 (0 for its first
    /// point); the timestamp is now. NaN and ±Infinity are stored as they are. When
    /// <see cref="RunOptions.MaxBufferedPoints"/> points are not yet stored, this blocks the calling
    /// thread until the service has stored a batch, so a slow service slows logging down instead of
    /// growing memory or losing points.
    /// </summary>
    /// <exception cref="MetricsNotStoredException">Sending earlier points failed.</exception>
    /// <exception cref="InvalidOperationException">The run has ended.</exception>
    public void LogMetric(string key, double value, long? step = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (key.Length > MaxKeyLength)
        {
            throw new ArgumentException($"Metric key '{key[..20]}…' has {key.Length} characters; the limit is {MaxKeyLength}.", nameof(key));
        }

        var timestampMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        lock (_gate)
        {
            ThrowIfUnusable();
            while (_logged - _stored >= _maxBufferedPoints)
            {
                Monitor.Wait(_gate);
                ThrowIfUnusable();
            }

            var pointStep = step ?? (_lastSteps.TryGetValue(key, out var last) ? last + 1 : 0);
            _lastSteps[key] = pointStep;
            _queue.Enqueue(new MetricPoint { Key = key, Value = value, Step = pointStep, TimestampMs = timestampMs });
            _logged++;
            if (_queue.Count == _batchSize)
            {
                _wake.Release();
            }
        }
    }

    /// <summary>Sends every point logged so far and returns once the service has stored them.</summary>
    /// <param name="cancellationToken">Stops waiting; the points are still sent.</param>
    /// <exception cref="MetricsNotStoredException">Sending points failed.</exception>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        long target;
        lock (_gate)
        {
            ThrowIfFailed();
            target = _logged;
            _flushTarget = Math.Max(_flushTarget, target);
            // Once the run is ending the loop sends everything without being woken.
            if (!_ending)
            {
                _wake.Release();
            }
        }

        while (true)
        {
            Task progress;
            lock (_gate)
            {
                ThrowIfFailed();
                if (_stored >= target)
                {
                    return;
                }

                progress = _progress.Task;
            }

            await progress.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Logs params. Params are write-once: the same value again is fine, another value fails.</summary>
    public async Task LogParamsAsync(IReadOnlyDictionary<string, string> parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        await _client.LogParamsAsync(new LogParamsRequest { RunId = RunId, Params = { parameters.ToDictionary() } }, cancellationToken: cancellationToken);
    }

    /// <summary>Sets tags, overwriting tags with the same keys.</summary>
    public async Task SetTagsAsync(IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tags);
        await _client.SetTagsAsync(new SetTagsRequest { RunId = RunId, Tags = { tags.ToDictionary() } }, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Sends every point logged so far, then ends the run with <paramref name="status"/>. If sending
    /// failed and that was not reported yet, the run is still ended and this then throws the failure.
    /// </summary>
    /// <param name="status"><see cref="RunStatus.Finished"/>, <see cref="RunStatus.Failed"/> or <see cref="RunStatus.Killed"/>.</param>
    /// <param name="cancellationToken">Stops waiting for the flush and the end call.</param>
    /// <exception cref="MetricsNotStoredException">Sending points failed (reported here if no earlier call threw it).</exception>
    /// <exception cref="InvalidOperationException">The run was ended already.</exception>
    public async Task EndAsync(RunStatus status = RunStatus.Finished, CancellationToken cancellationToken = default)
    {
        if (status is not (RunStatus.Finished or RunStatus.Failed or RunStatus.Killed))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "A run ends FINISHED, FAILED or KILLED.");
        }

        lock (_gate)
        {
            if (_ending)
            {
                throw new InvalidOperationException($"Run {RunId} was ended already.");
            }

            _ending = true;
            // LogMetric calls waiting for room fail now instead of after the flush.
            Monitor.PulseAll(_gate);
        }

        _wake.Release();
        await _flushLoop.WaitAsync(cancellationToken);
        bool unreportedFailure;
        lock (_gate)
        {
            unreportedFailure = _failure is not null && !_failureReported;
        }

        try
        {
            await _client.EndRunAsync(new EndRunRequest { RunId = RunId, Status = status }, cancellationToken: cancellationToken);
        }
        catch (RpcException endError) when (unreportedFailure)
        {
            // The failed flush usually explains this too (the run ended elsewhere, the service is down).
            lock (_gate)
            {
                throw FailureException($" Ending the run failed too ({Describe(endError)}).");
            }
        }

        if (unreportedFailure)
        {
            lock (_gate)
            {
                throw FailureException();
            }
        }
    }

    /// <summary>
    /// Ends the run <c>FINISHED</c> (flushing first) and stops the background flush — unless
    /// <see cref="EndAsync"/> was called or a <see cref="MetricsNotStoredException"/> was thrown
    /// already (then the run is left as it is, and disposing never throws).
    /// </summary>
    /// <exception cref="MetricsNotStoredException">Sending points failed and no earlier call reported it.</exception>
    public async ValueTask DisposeAsync()
    {
        bool end;
        lock (_gate)
        {
            // After a reported failure, throwing again here would hide the caller's exception.
            end = !_ending && !_failureReported;
        }

        try
        {
            if (end)
            {
                await EndAsync(RunStatus.Finished);
            }
        }
        finally
        {
            // The loop never throws; once the run is ending or failed it no longer waits on _wake.
            await _flushLoop;
            _wake.Dispose();
        }
    }

    private async Task FlushLoopAsync()
    {
        while (true)
        {
            MetricPoint[]? batch;
            lock (_gate)
            {
                if (_failure is not null || (_ending && _queue.Count == 0))
                {
                    return;
                }

                batch = TakeBatch();
            }

            if (batch is null)
            {
                if (!await _wake.WaitAsync(_flushInterval))
                {
                    lock (_gate)
                    {
                        _flushTarget = Math.Max(_flushTarget, _logged);
                    }
                }

                continue;
            }

            try
            {
                await _client.LogMetricsAsync(new LogMetricsRequest { RunId = RunId, Points = { batch } });
            }
            catch (Exception error)
            {
                lock (_gate)
                {
                    _failure = error;
                    _queue.Clear();
                    SignalProgress();
                }

                return;
            }

            lock (_gate)
            {
                _stored += batch.Length;
                SignalProgress();
            }
        }
    }

    // Under _gate: a full batch, or what is queued when a flush, the interval or the end asks for it.
    private MetricPoint[]? TakeBatch()
    {
        var flushing = _ending || _logged - _queue.Count < _flushTarget;
        if (_queue.Count == 0 || (_queue.Count < _batchSize && !flushing))
        {
            return null;
        }

        var batch = new MetricPoint[Math.Min(_queue.Count, _batchSize)];
        for (var i = 0; i < batch.Length; i++)
        {
            batch[i] = _queue.Dequeue();
        }

        return batch;
    }

    // Under _gate: wakes LogMetric calls waiting for room and FlushAsync calls waiting for stored points.
    private void SignalProgress()
    {
        Monitor.PulseAll(_gate);
        _progress.TrySetResult();
        _progress = NewSignal();
    }

    private void ThrowIfUnusable()
    {
        ThrowIfFailed();
        if (_ending)
        {
            throw new InvalidOperationException($"Run {RunId} has ended; it takes no more metric points.");
        }
    }

    private void ThrowIfFailed()
    {
        if (_failure is not null)
        {
            throw FailureException();
        }
    }

    private MetricsNotStoredException FailureException(string more = "")
    {
        _failureReported = true;
        return new MetricsNotStoredException(
            $"Run {RunId}: {_logged - _stored} logged metric point(s) were not stored because sending them failed ({Describe(_failure!)}). The run takes no more metric points.{more}",
            _failure!);
    }

    private static string Describe(Exception error) =>
        error is RpcException rpc ? $"{rpc.StatusCode}: {rpc.Status.Detail}" : error.Message;

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
