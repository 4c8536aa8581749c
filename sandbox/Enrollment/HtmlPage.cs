using System.Net;
using System.Text;

namespace DemoHealthPlan.Sandbox.Enrollment;

/// <summary>Builds the sandbox's server-rendered pages: a plain health-plan look, labelled fields, real buttons.</summary>
internal static class HtmlPage
{
    private const string Style = """
        body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;background:#f3f6f9;color:#1d2a35}
        header{background:#0b5394;color:#fff;padding:14px 24px;font-size:1.25rem;font-weight:600}
        main{max-width:28rem;margin:32px auto;background:#fff;border:1px solid #d5dde5;border-radius:8px;padding:24px 28px}
        h1{font-size:1.4rem;margin-top:0}h2{font-size:1.1rem;margin-bottom:.5rem}
        label{display:block;font-weight:600;margin:14px 0 4px}
        input{width:100%;box-sizing:border-box;padding:9px;border:1px solid #8a99a8;border-radius:4px;font-size:1rem}
        .hint{color:#52606d;font-size:.85rem;margin:2px 0 0}
        button{margin-top:18px;padding:10px 18px;border:0;border-radius:4px;background:#0b5394;color:#fff;font-size:1rem;cursor:pointer}
        button.secondary{background:#fff;color:#0b5394;border:1px solid #0b5394;margin-left:8px}
        .alert{background:#fdecea;border:1px solid #e0b4b4;color:#8a1f11;padding:10px;border-radius:4px}
        .notice{background:#e8f1fb;border:1px solid #b6cde8;padding:10px;border-radius:4px}
        hr{border:0;border-top:1px solid #d5dde5;margin:24px 0}
        footer{text-align:center;color:#52606d;font-size:.8rem;margin-bottom:24px}
        """;

    public static IResult Render(string title, string body, int statusCode = StatusCodes.Status200OK)
    {
        var html = $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{Encode(title)} - Demo Health Plan</title>
            <style>{Style}</style>
            </head>
            <body>
            <header>Demo Health Plan</header>
            <main>
            <h1>{Encode(title)}</h1>
            {body}
            </main>
            <footer>Demo Health Plan sandbox for conformance testing. Not a real health plan.</footer>
            </body>
            </html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, statusCode);
    }

    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");

    public static string Alert(string? message) =>
        string.IsNullOrEmpty(message) ? "" : $"""<p class="alert" role="alert">{Encode(message)}</p>""";

    public static string Notice(string? message) =>
        string.IsNullOrEmpty(message) ? "" : $"""<p class="notice" role="status">{Encode(message)}</p>""";

    public static string Hidden(string name, string? value) =>
        $"""<input type="hidden" name="{Encode(name)}" value="{Encode(value)}">""";

    public static string Field(string id, string name, string label, string? value = null, string type = "text",
        string? hint = null, string? autocomplete = null, string? extra = null)
    {
        var hintId = hint is null ? null : id + "-hint";
        return $"""
            <label for="{id}">{Encode(label)}</label>
            <input id="{id}" name="{name}" type="{type}" value="{Encode(value)}" required{(autocomplete is null ? "" : $" autocomplete=\"{autocomplete}\"")}{(hintId is null ? "" : $" aria-describedby=\"{hintId}\"")}{(extra is null ? "" : " " + extra)}>
            {(hint is null ? "" : $"""<p class="hint" id="{hintId}">{Encode(hint)}</p>""")}
            """;
    }
}
