using Google.Protobuf.WellKnownTypes;
using TrackingApi = MlPlatform.Api.Tracking.V1;

namespace MlPlatform.Tracking.Artifacts;

internal static class ArtifactMapping
{
    public static TrackingApi.Artifact ToApi(ArtifactUploaded artifact) => new()
    {
        Path = artifact.Path,
        SizeBytes = artifact.SizeBytes,
        Sha256 = artifact.Sha256,
        UploadedAt = Timestamp.FromDateTimeOffset(artifact.UploadedAt),
    };
}
