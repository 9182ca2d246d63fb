namespace MlPlatform.TestSupport;

internal static class TemporaryDirectory
{
    /// <summary>Deletes a server's directory, retrying briefly: a killed process can still be closing files in it.</summary>
    public static async Task DeleteAsync(string path)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Directory.Delete(path, recursive: true);
                return;
            }
            catch (DirectoryNotFoundException)
            {
                return;
            }
            catch (IOException) when (attempt < 5)
            {
                await Task.Delay(100);
            }
        }
    }
}
