using System.Text.Json;

namespace Rollup.Primitives.Eip712;

/// <summary>Typed data in the JSON shape of eth_signTypedData_v4: <c>{types, primaryType, domain, message}</c>.</summary>
public sealed class TypedDataDocument
{
    private TypedDataDocument(TypedDataEncoder encoder, string primaryType, JsonElement domain, JsonElement message)
    {
        Encoder = encoder;
        PrimaryType = primaryType;
        Domain = domain;
        Message = message;
    }

    public TypedDataEncoder Encoder { get; }

    public string PrimaryType { get; }

    public JsonElement Domain { get; }

    public JsonElement Message { get; }

    public Hash256 Digest() => Encoder.Digest(Domain, PrimaryType, Message);

    public static TypedDataDocument Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement.Clone();
        var types = new Dictionary<string, IReadOnlyList<TypedDataField>>(StringComparer.Ordinal);
        foreach (var type in Required(root, "types").EnumerateObject())
        {
            var fields = new List<TypedDataField>();
            foreach (var field in type.Value.EnumerateArray())
            {
                fields.Add(new TypedDataField(Required(field, "name").GetString()!, Required(field, "type").GetString()!));
            }
            types[type.Name] = fields;
        }
        return new TypedDataDocument(
            new TypedDataEncoder(types),
            Required(root, "primaryType").GetString()!,
            Required(root, "domain"),
            Required(root, "message"));
    }

    private static JsonElement Required(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value : throw new FormatException($"typed data: '{name}' is missing");
}
