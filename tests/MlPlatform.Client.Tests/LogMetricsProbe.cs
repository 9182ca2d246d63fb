using Grpc.Core;
using Grpc.Core.Interceptors;
using MlPlatform.Api.Tracking.V1;

namespace MlPlatform.Client.Tests;

/// <summary>
/// Sees every LogMetrics call the SDK makes: records each batch's size, lets a test wait for a
/// number of calls to end, and can hold calls back (a slow service) until released.
/// </summary>
public sealed class LogMetricsProbe : Interceptor
{
    private readonly Lock _lock = new();
    private readonly List<int> _batchSizes = [];
    private readonly List<(int Count, TaskCompletionSource Done)> _waiters = [];
    private int _ended;
    private TaskCompletionSource? _hold;

    /// <summary>The number of points in each call, in the order the calls were made.</summary>
    public IReadOnlyList<int> BatchSizes
    {
        get
        {
            lock (_lock)
            {
                return [.. _batchSizes];
            }
        }
    }

    /// <summary>Calls made from now on wait (before reaching the service) until <see cref="Release"/>.</summary>
    public void Hold()
    {
        lock (_lock)
        {
            _hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void Release()
    {
        lock (_lock)
        {
            _hold?.TrySetResult();
            _hold = null;
        }
    }

    /// <summary>Completes once <paramref name="count"/> calls have ended, successfully or not.</summary>
    public Task WhenCallsEnded(int count)
    {
        lock (_lock)
        {
            if (_ended >= count)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, done));
            return done.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        }
    }

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        if (request is not LogMetricsRequest metrics)
        {
            return continuation(request, context);
        }

        Task? hold;
        lock (_lock)
        {
            _batchSizes.Add(metrics.Points.Count);
            hold = _hold?.Task;
        }

        return new AsyncUnaryCall<TResponse>(
            SendAsync(hold, () => continuation(request, context).ResponseAsync),
            Task.FromResult(new Metadata()),
            () => Status.DefaultSuccess,
            () => [],
            () => { });
    }

    private async Task<TResponse> SendAsync<TResponse>(Task? hold, Func<Task<TResponse>> send)
    {
        try
        {
            if (hold is not null)
            {
                await hold;
            }

            return await send();
        }
        finally
        {
            lock (_lock)
            {
                _ended++;
                foreach (var waiter in _waiters.Where(w => w.Count <= _ended).ToList())
                {
                    waiter.Done.TrySetResult();
                    _waiters.Remove(waiter);
                }
            }
        }
    }
}
