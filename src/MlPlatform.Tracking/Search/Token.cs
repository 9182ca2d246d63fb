namespace MlPlatform.Tracking.Search;

internal enum TokenKind
{
    /// <summary><c>prefix.key</c>: <see cref="Token.Text"/> is the prefix, <see cref="Token.Key"/> the key.</summary>
    Field,

    /// <summary>A bare word: a keyword such as AND, IN, NULL, ASC.</summary>
    Word,
    String,
    Number,
    Operator,
    LeftParen,
    RightParen,
    Comma,
    End,
}

internal readonly record struct Token(TokenKind Kind, string Text, int Position, string Key = "")
{
    public bool IsWord(string keyword) => Kind == TokenKind.Word && Text.Equals(keyword, StringComparison.OrdinalIgnoreCase);

    public string Describe() => Kind switch
    {
        TokenKind.End => "the end of the text",
        TokenKind.Field => $"'{Text}.{Key}'",
        TokenKind.String => $"'{Text}'",
        _ => $"'{Text}'",
    };
}
