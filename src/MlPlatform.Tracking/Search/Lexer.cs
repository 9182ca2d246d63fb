using System.Text;

namespace MlPlatform.Tracking.Search;

/// <summary>
/// Splits a filter or order_by into tokens. Fields are one token (<c>metrics.val_loss</c>,
/// <c>metrics.`val loss`</c>, <c>params."a b"</c>) so the parser never has to glue keys together.
/// </summary>
internal static class Lexer
{
    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i == text.Length)
            {
                tokens.Add(new Token(TokenKind.End, "", i));
                return tokens;
            }

            var start = i;
            var c = text[i];
            switch (c)
            {
                case '(':
                    tokens.Add(new Token(TokenKind.LeftParen, "(", i++));
                    break;
                case ')':
                    tokens.Add(new Token(TokenKind.RightParen, ")", i++));
                    break;
                case ',':
                    tokens.Add(new Token(TokenKind.Comma, ",", i++));
                    break;
                case '=':
                    tokens.Add(new Token(TokenKind.Operator, "=", i++));
                    break;
                case '!' when Peek(text, i + 1) == '=':
                    tokens.Add(new Token(TokenKind.Operator, "!=", i));
                    i += 2;
                    break;
                case '<' or '>':
                    var length = Peek(text, i + 1) == '=' || (c == '<' && Peek(text, i + 1) == '>') ? 2 : 1;
                    var op = text.Substring(i, length);
                    tokens.Add(new Token(TokenKind.Operator, op == "<>" ? "!=" : op, i));
                    i += length;
                    break;
                case '\'' or '"':
                    tokens.Add(new Token(TokenKind.String, ReadQuoted(text, ref i), start));
                    break;
                case '`':
                    throw new SearchSyntaxException("a backquoted key needs a prefix, as in metrics.`val loss`", i);
                default:
                    if (c == '-' && text.AsSpan(i + 1).StartsWith("Infinity", StringComparison.OrdinalIgnoreCase))
                    {
                        i += "-Infinity".Length;
                        tokens.Add(new Token(TokenKind.Number, "-Infinity", start));
                    }
                    else if (char.IsAsciiDigit(c) || (c is '.' or '-' or '+' && (char.IsAsciiDigit(Peek(text, i + 1)) || (Peek(text, i + 1) == '.' && char.IsAsciiDigit(Peek(text, i + 2))))))
                    {
                        tokens.Add(new Token(TokenKind.Number, ReadNumber(text, ref i), start));
                    }
                    else if (char.IsLetter(c) || c == '_')
                    {
                        tokens.Add(ReadWordOrField(text, ref i));
                    }
                    else
                    {
                        throw new SearchSyntaxException($"unexpected character '{c}'", i);
                    }

                    break;
            }
        }
    }

    private static char Peek(string text, int i) => i < text.Length ? text[i] : '\0';

    private static Token ReadWordOrField(string text, ref int i)
    {
        var start = i;
        while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
        {
            i++;
        }

        var word = text[start..i];
        if (Peek(text, i) != '.')
        {
            return new Token(TokenKind.Word, word, start);
        }

        i++;
        string key;
        if (Peek(text, i) is '`' or '"')
        {
            key = ReadQuoted(text, ref i);
        }
        else
        {
            var keyStart = i;
            while (i < text.Length && IsBareKeyChar(text[i]))
            {
                i++;
            }

            key = text[keyStart..i];
        }

        if (key.Length == 0)
        {
            throw new SearchSyntaxException($"expected a key after '{word}.'", i);
        }

        return new Token(TokenKind.Field, word, start, key);
    }

    // Keys like train/loss, val-acc or lr.decay need no quotes; anything else goes in backquotes.
    private static bool IsBareKeyChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '-' or '.' or '/' or ':';

    /// <summary>Reads a quoted run at <paramref name="i"/>; the quote doubled inside stands for itself.</summary>
    private static string ReadQuoted(string text, ref int i)
    {
        var quote = text[i];
        var start = i++;
        var value = new StringBuilder();
        while (i < text.Length)
        {
            if (text[i] == quote)
            {
                if (Peek(text, i + 1) != quote)
                {
                    i++;
                    return value.ToString();
                }

                i++;
            }

            value.Append(text[i++]);
        }

        throw new SearchSyntaxException($"unterminated {quote}…{quote}", start);
    }

    private static string ReadNumber(string text, ref int i)
    {
        var start = i;
        if (text[i] is '-' or '+')
        {
            i++;
        }

        SkipDigits(text, ref i);
        if (Peek(text, i) == '.')
        {
            i++;
            SkipDigits(text, ref i);
        }

        if (Peek(text, i) is 'e' or 'E' && (char.IsAsciiDigit(Peek(text, i + 1)) || (Peek(text, i + 1) is '-' or '+' && char.IsAsciiDigit(Peek(text, i + 2)))))
        {
            i += 2;
            SkipDigits(text, ref i);
        }

        if (char.IsLetter(Peek(text, i)) || Peek(text, i) == '_')
        {
            throw new SearchSyntaxException("a number runs into letters; put text values in quotes", start);
        }

        return text[start..i];
    }

    private static void SkipDigits(string text, ref int i)
    {
        while (char.IsAsciiDigit(Peek(text, i)))
        {
            i++;
        }
    }
}
