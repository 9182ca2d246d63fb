using System.Text;
using System.Text.RegularExpressions;
using Google.Api;
using Google.Protobuf.Reflection;

namespace MlPlatform.Gateway.Security;

/// <summary>
/// Maps a REST request to the RPC it is transcoded to, from the <c>google.api.http</c> annotations
/// of the API descriptors — so REST is authorised by exactly the same table as gRPC.
/// </summary>
public sealed class RestRoutes
{
    private readonly IReadOnlyList<(string Verb, Regex Path, string Rpc)> _routes;

    public RestRoutes(IEnumerable<MethodDescriptor> methods)
    {
        ArgumentNullException.ThrowIfNull(methods);
        _routes =
        [
            .. methods.SelectMany(method => Bindings(method).Select(rule => (rule.Verb, Compile(rule.Template), ApiDescriptors.FullName(method)))),
        ];
    }

    public static RestRoutes Platform { get; } = new(ApiDescriptors.Methods);

    /// <summary>Every (verb, path template, RPC) the API declares.</summary>
    public static IEnumerable<(string Verb, string Template, string Rpc)> Declared(IEnumerable<MethodDescriptor> methods) =>
        methods.SelectMany(method => Bindings(method).Select(rule => (rule.Verb, rule.Template, ApiDescriptors.FullName(method))));

    /// <summary>
    /// The RPCs a request may be transcoded to (normally one). The caller must be allowed all of them,
    /// so an ambiguous path can never be the weaker of two routes.
    /// </summary>
    public IEnumerable<string> Match(string verb, string path)
    {
        foreach (var (routeVerb, pattern, rpc) in _routes)
        {
            if (string.Equals(routeVerb, verb, StringComparison.OrdinalIgnoreCase) && pattern.IsMatch(path))
            {
                yield return rpc;
            }
        }
    }

    private static IEnumerable<(string Verb, string Template)> Bindings(MethodDescriptor method)
    {
        var rule = method.GetOptions()?.GetExtension(AnnotationsExtensions.Http);
        if (rule is null)
        {
            yield break;
        }

        foreach (var r in rule.AdditionalBindings.Prepend(rule))
        {
            var binding = r.PatternCase switch
            {
                HttpRule.PatternOneofCase.Get => ("GET", r.Get),
                HttpRule.PatternOneofCase.Post => ("POST", r.Post),
                HttpRule.PatternOneofCase.Put => ("PUT", r.Put),
                HttpRule.PatternOneofCase.Delete => ("DELETE", r.Delete),
                HttpRule.PatternOneofCase.Patch => ("PATCH", r.Patch),
                HttpRule.PatternOneofCase.Custom => (r.Custom.Kind.ToUpperInvariant(), r.Custom.Path),
                _ => default,
            };
            if (binding.Item2 is { Length: > 0 })
            {
                yield return binding;
            }
        }
    }

    /// <summary>
    /// A path template as a regular expression: <c>{field}</c> is one segment, <c>{field=**}</c> or
    /// <c>**</c> any number; a trailing <c>:verb</c> is literal.
    /// </summary>
    private static Regex Compile(string template)
    {
        var pattern = new StringBuilder("^");
        var i = 0;
        while (i < template.Length)
        {
            if (template[i] == '{')
            {
                var end = template.IndexOf('}', i);
                var variable = template[(i + 1)..end];
                pattern.Append(variable.Contains("**", StringComparison.Ordinal) ? ".+" : "[^/]+");
                i = end + 1;
            }
            else if (template.AsSpan(i).StartsWith("**"))
            {
                pattern.Append(".+");
                i += 2;
            }
            else if (template[i] == '*')
            {
                pattern.Append("[^/]+");
                i++;
            }
            else
            {
                pattern.Append(Regex.Escape(template[i].ToString()));
                i++;
            }
        }

        return new Regex(pattern.Append("/?$").ToString(), RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromMilliseconds(100));
    }
}
