using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Marten;
using MlPlatform.Hosting.Grpc;
using DeploymentsApi = MlPlatform.Api.Deployments.V1;
using Endpoint = MlPlatform.Deployments.Endpoints.Endpoint;

namespace MlPlatform.Deployments.Grpc;

public sealed class DeploymentsService(IQuerySession session) : DeploymentsApi.Deployments.DeploymentsBase
{
    public override async Task<DeploymentsApi.ListEndpointsResponse> ListEndpoints(DeploymentsApi.ListEndpointsRequest request, ServerCallContext context)
    {
        var pageSize = Paging.PageSize(request.PageSize);
        var after = Paging.After(request.PageToken) ?? string.Empty;
        var page = await session.Query<Endpoint>()
            .Where(e => e.Id.CompareTo(after) > 0)
            .OrderBy(e => e.Id)
            .Take(pageSize + 1)
            .ToListAsync(context.CancellationToken);

        var response = new DeploymentsApi.ListEndpointsResponse();
        response.Endpoints.AddRange(page.Take(pageSize).Select(e => new DeploymentsApi.Endpoint
        {
            Name = e.Id,
            Description = e.Description,
            CreatedAt = Timestamp.FromDateTimeOffset(e.CreatedAt),
        }));
        if (page.Count > pageSize)
        {
            response.NextPageToken = Paging.Token(page[pageSize - 1].Id);
        }

        return response;
    }
}
