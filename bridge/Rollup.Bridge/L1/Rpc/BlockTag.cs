namespace Rollup.Bridge.L1;

/// <summary>A block parameter of the JSON-RPC API: a number, or latest / safe / finalized / pending / earliest.</summary>
public readonly record struct BlockTag
{
    private readonly string? _value;

    private BlockTag(string value)
    {
        _value = value;
    }

    public static BlockTag Latest { get; } = new("latest");

    /// <summary>A block the consensus layer considers unlikely to be reorganised.</summary>
    public static BlockTag Safe { get; } = new("safe");

    /// <summary>A block the consensus layer has finalized.</summary>
    public static BlockTag Finalized { get; } = new("finalized");

    public static BlockTag Pending { get; } = new("pending");

    public static BlockTag Earliest { get; } = new("earliest");

    /// <summary>The JSON-RPC form: a tag name or a hex quantity. The default value means latest.</summary>
    public string Value => _value ?? "latest";

    public static BlockTag Number(ulong number) => new(RpcJson.Quantity(number));

    public static implicit operator BlockTag(ulong number) => Number(number);

    public override string ToString() => Value;
}
