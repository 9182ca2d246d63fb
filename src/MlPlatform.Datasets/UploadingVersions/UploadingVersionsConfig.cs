namespace MlPlatform.Datasets.UploadingVersions;

internal static class UploadingVersionsConfig
{
    public static void AddUploadingVersions(this IHostApplicationBuilder builder) =>
        builder.Services.AddOptions<UploadOptions>()
            .BindConfiguration(UploadOptions.Section)
            .Validate(options => options.MaxBytes > 0, $"{UploadOptions.Section}:MaxBytes must be a positive number of bytes.")
            .ValidateOnStart();
}
