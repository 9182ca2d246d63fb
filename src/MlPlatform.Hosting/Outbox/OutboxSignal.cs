using Marten;
using Marten.Services;

namespace MlPlatform.Hosting.Outbox;

/// <summary>
/// Wakes the relay as soon as a session that queued integration events commits, so events
/// leave within milliseconds instead of waiting for the next poll.
/// </summary>
internal sealed class OutboxSignal : DocumentSessionListenerBase, IDisposable
{
    private readonly SemaphoreSlim _pending = new(0, 1);

    public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        if (commit.Inserted.OfType<OutboxMessage>().Any())
        {
            Notify();
        }

        return Task.CompletedTask;
    }

    /// <summary>Waits for the next commit with outbox messages, or the timeout, whichever comes first.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _pending.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _pending.Dispose();

    private void Notify()
    {
        try
        {
            _pending.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: one wake-up drains everything committed so far.
        }
    }
}
