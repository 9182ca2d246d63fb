namespace MlPlatform.Tracking.Search;

/// <summary>A filter or order_by the service cannot read, with the 0-based position of the offending text.</summary>
internal sealed class SearchSyntaxException(string message, int position) : Exception(message)
{
    public int Position { get; } = position;
}
