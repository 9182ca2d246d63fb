using Microsoft.AspNetCore.Hosting;
using MlPlatform.Datasets.UploadingVersions;
using MlPlatform.TestSupport.Services;

namespace MlPlatform.Datasets.Tests.Api;

/// <summary>The Datasets service on real PostgreSQL and RabbitMQ, with a small upload limit.</summary>
public class DatasetsFactory : ServiceFactory<Program>
{
    public const long DefaultMaxUploadBytes = 1 << 20;

    private readonly long _maxUploadBytes;

    public DatasetsFactory()
        : this(dedicatedBroker: false, DefaultMaxUploadBytes)
    {
    }

    protected DatasetsFactory(bool dedicatedBroker, long maxUploadBytes)
        : base(dedicatedBroker) => _maxUploadBytes = maxUploadBytes;

    public DatasetsClient Client => new(Channel);

    /// <summary>Every file in the blob store, complete or being written.</summary>
    public IReadOnlyList<string> BlobFiles => [.. Directory.EnumerateFiles(BlobPath, "*", SearchOption.AllDirectories)];

    protected override void ConfigureService(IWebHostBuilder builder)
    {
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting($"{UploadOptions.Section}:MaxBytes", _maxUploadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
