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
        var page = await session.Query<Endpoint>()
            .ToPageAsync(e => e.Id, request.PageToken, request.PageSize, context.CancellationToken);

        return new DeploymentsApi.ListEndpointsResponse
        {
            Endpoints =
            {
                page.Items.Select(e => new DeploymentsApi.Endpoint
                {
                    Name = e.Id,
                    Description = e.Description,
                    CreatedAt = Timestamp.FromDateTimeOffset(e.CreatedAt),
                }),
            },
            NextPageToken = page.NextPageToken,
        };
    }
}
