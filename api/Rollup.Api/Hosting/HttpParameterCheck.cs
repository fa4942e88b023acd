using System.Globalization;
using System.Text.Json;
using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Grpc.JsonTranscoding;
using Microsoft.AspNetCore.Http;

namespace Rollup.Api.Hosting;

/// <summary>
/// Checks the path and query parameters of an HTTP/JSON route before JSON transcoding binds them, so a bad one is a
/// 400 that names the parameter and what it must be ("market: 'abc' is not a whole number from 0 to 4294967295")
/// instead of the parser's bare "The input string 'abc' was not in a correct format.". The body has the shape of every
/// other error of the HTTP API: <c>{"code": 3, "message": "...", "details": []}</c> (3 is INVALID_ARGUMENT).
/// </summary>
public static class HttpParameterCheck
{
    /// <summary>Call after <c>UseRouting</c>: it needs the matched endpoint.</summary>
    public static IApplicationBuilder UseHttpParameterCheck(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<GrpcJsonTranscodingMetadata>() is { } route
            && FirstError(route.MethodDescriptor.InputType, context.Request) is { } error)
        {
            await WriteInvalidArgumentAsync(context.Response, error).ConfigureAwait(false);
            return;
        }
        await next(context).ConfigureAwait(false);
    });

    private static string? FirstError(MessageDescriptor request, HttpRequest http)
    {
        foreach (var (name, value) in http.RouteValues)
        {
            if (value is string text && Check(request, name, text) is { } error)
            {
                return error;
            }
        }
        foreach (var (name, values) in http.Query)
        {
            foreach (var text in values)
            {
                if (text is not null && Check(request, name, text) is { } error)
                {
                    return error;
                }
            }
        }
        return null;
    }

    /// <summary>Null when <paramref name="text"/> is a valid value of the field (or names no scalar number or bool field).</summary>
    internal static string? Check(MessageDescriptor request, string name, string text)
    {
        var field = request.FindFieldByName(name) ?? request.Fields.InDeclarationOrder().FirstOrDefault(f => f.JsonName == name);
        if (field is null)
        {
            return null;
        }
        const NumberStyles Integer = NumberStyles.Integer;
        var invariant = CultureInfo.InvariantCulture;
        return field.FieldType switch
        {
            FieldType.UInt32 or FieldType.Fixed32 when !uint.TryParse(text, Integer, invariant, out _) => $"{name}: '{Shorten(text)}' is not a whole number from 0 to {uint.MaxValue}",
            FieldType.UInt64 or FieldType.Fixed64 when !ulong.TryParse(text, Integer, invariant, out _) => $"{name}: '{Shorten(text)}' is not a whole number from 0 to {ulong.MaxValue}",
            FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 when !int.TryParse(text, Integer, invariant, out _) => $"{name}: '{Shorten(text)}' is not a whole number from {int.MinValue} to {int.MaxValue}",
            FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 when !long.TryParse(text, Integer, invariant, out _) => $"{name}: '{Shorten(text)}' is not a whole number from {long.MinValue} to {long.MaxValue}",
            FieldType.Bool when !bool.TryParse(text, out _) => $"{name}: '{Shorten(text)}' is not true or false",
            _ => null,
        };
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "...";

    private static async Task WriteInvalidArgumentAsync(HttpResponse response, string message)
    {
        response.StatusCode = StatusCodes.Status400BadRequest;
        response.ContentType = "application/json; charset=utf-8";
        // Relaxed: a quote in the message stays a quote (the body is JSON, never embedded in HTML).
        await using var json = new Utf8JsonWriter(response.Body, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartObject();
        json.WriteNumber("code", (int)Grpc.Core.StatusCode.InvalidArgument);
        json.WriteString("message", message);
        json.WriteStartArray("details");
        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync().ConfigureAwait(false);
    }
}
