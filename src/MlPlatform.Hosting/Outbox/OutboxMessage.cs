namespace MlPlatform.Hosting.Outbox;

/// <summary>
/// An integration event waiting to be published, stored in the same transaction as the domain
/// events it follows from. <see cref="Id"/> comes from Marten's HiLo sequence, so it orders
/// messages as they were committed by this process.
/// </summary>
public sealed class OutboxMessage
{
    public long Id { get; set; }

    /// <summary>Becomes the MassTransit message id, so consumers can drop redeliveries.</summary>
    public Guid MessageId { get; set; }

    /// <summary>Full name of a type in MlPlatform.Contracts.</summary>
    public required string MessageType { get; set; }

    public required string Payload { get; set; }

    /// <summary>W3C traceparent of the request that committed it, to continue the trace.</summary>
    public string? TraceParent { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
