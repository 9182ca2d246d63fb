using System.Diagnostics;
using Marten;
using Microsoft.AspNetCore.Http;

namespace MlPlatform.Hosting.EventStore;

/// <summary>
/// Opens lightweight sessions stamped with who is acting and the trace they act in, so every
/// appended event records its actor and correlation id without each handler remembering to.
/// </summary>
internal sealed class ActorSessionFactory(IDocumentStore store, IHttpContextAccessor http) : ISessionFactory
{
    public IQuerySession QuerySession() => store.QuerySession();

    public IDocumentSession OpenSession()
    {
        var session = store.LightweightSession();
        var actor = Actor.From(http.HttpContext?.User);
        session.SetHeader(Actor.IdHeader, actor.Id);
        session.SetHeader(Actor.NameHeader, actor.Name);
        session.CorrelationId = Activity.Current?.TraceId.ToString();
        return session;
    }
}
