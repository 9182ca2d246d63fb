namespace MlPlatform.TestSupport;

/// <summary>
/// Serialises calls to a slow batch operation: items that arrive while a batch runs go together
/// into the next one, so concurrent callers share one call instead of queueing one call each.
/// </summary>
internal sealed class Batcher<T>(Func<IReadOnlyList<T>, Task> runBatch)
{
    private readonly Lock _gate = new();
    private List<(T Item, TaskCompletionSource Done)> _pending = [];
    private bool _draining;

    public Task RunAsync(T item)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _pending.Add((item, done));
            if (_draining)
            {
                return done.Task;
            }

            _draining = true;
        }

        _ = Task.Run(DrainAsync);
        return done.Task;
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            List<(T Item, TaskCompletionSource Done)> batch;
            lock (_gate)
            {
                if (_pending.Count == 0)
                {
                    _draining = false;
                    return;
                }

                batch = _pending;
                _pending = [];
            }

            try
            {
                await runBatch([.. batch.Select(entry => entry.Item)]);
                batch.ForEach(entry => entry.Done.SetResult());
            }
            catch (Exception e)
            {
                batch.ForEach(entry => entry.Done.SetException(e));
            }
        }
    }
}
