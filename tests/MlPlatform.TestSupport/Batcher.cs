namespace MlPlatform.TestSupport;

/// <summary>
/// Serialises calls to a slow batch operation: items that arrive while a batch runs go together
/// into the next one, so concurrent callers share one call instead of queueing one call each.
/// </summary>
internal sealed class Batcher<T>(Func<IReadOnlyList<T>, Task> runBatch)
{
    private readonly Lock gate = new();
    private List<(T Item, TaskCompletionSource Done)> pending = [];
    private bool draining;

    public Task RunAsync(T item)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            pending.Add((item, done));
            if (draining)
            {
                return done.Task;
            }

            draining = true;
        }

        _ = Task.Run(DrainAsync);
        return done.Task;
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            List<(T Item, TaskCompletionSource Done)> batch;
            lock (gate)
            {
                if (pending.Count == 0)
                {
                    draining = false;
                    return;
                }

                batch = pending;
                pending = [];
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
