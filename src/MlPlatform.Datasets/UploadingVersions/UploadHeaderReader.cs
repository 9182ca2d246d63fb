using Grpc.Core;
using MlPlatform.Api.Datasets.V1;
using MlPlatform.BlobStorage;
using MlPlatform.Datasets.DatasetCatalog;
using MlPlatform.Hosting.Grpc;
using MlPlatform.Hosting.Validation;
using DatasetFormat = MlPlatform.Datasets.DatasetCatalog.DatasetFormat;

namespace MlPlatform.Datasets.UploadingVersions;

internal static class UploadHeaderReader
{
    /// <summary>Reads and checks the first message, which must be the header.</summary>
    public static async Task<Upload> ReadAsync(IAsyncStreamReader<UploadDatasetVersionRequest> requests, CancellationToken cancellationToken)
    {
        if (!await requests.MoveNext(cancellationToken))
        {
            throw Errors.InvalidArgument("The upload stream is empty: send a header message first, then the file in chunks.");
        }

        if (requests.Current.ContentCase != UploadDatasetVersionRequest.ContentOneofCase.Header)
        {
            throw Errors.InvalidArgument("The first message of an upload must be the header (dataset, format); the file's chunks follow it.");
        }

        var header = requests.Current.Header;
        return new Upload(
            ResourceName.Validate(header.Dataset, "Dataset"),
            header.Format switch
            {
                Api.Datasets.V1.DatasetFormat.Unspecified or Api.Datasets.V1.DatasetFormat.Csv => DatasetFormat.Csv,
                _ => throw Errors.InvalidArgument($"Format {header.Format} is not supported; upload CSV."),
            },
            Delimiter(header.Delimiter),
            header.Description,
            Tags.Validate(header.Tags),
            ExpectedSha256(header.ExpectedSha256));
    }

    private static byte Delimiter(string delimiter) => delimiter switch
    {
        "" => (byte)',',
        [var c] when char.IsAscii(c) && c is not ('"' or '\r' or '\n') => (byte)c,
        _ => throw Errors.InvalidArgument(
            $"Delimiter '{delimiter}' is invalid: use one ASCII character other than a quote or a line break, such as ',', ';', '|' or a tab."),
    };

    private static ContentHash? ExpectedSha256(string text) =>
        text.Length == 0 ? null
        : ContentHash.TryParse(text, out var hash) ? hash
        : throw Errors.InvalidArgument($"expected_sha256 '{text}' is not a SHA-256: it must be {ContentHash.HexLength} hexadecimal digits.");
}
