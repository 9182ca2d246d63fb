namespace MlPlatform.Datasets.UploadingVersions;

public sealed class UploadOptions
{
    public const string Section = "MlPlatform:Datasets:Upload";

    /// <summary>The largest file accepted, in bytes; larger uploads fail with ResourceExhausted.</summary>
    public long MaxBytes { get; set; } = 10L << 30;
}
