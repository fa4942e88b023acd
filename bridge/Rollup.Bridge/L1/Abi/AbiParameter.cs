namespace Rollup.Bridge.L1;

/// <summary>A parameter of a function, event or error: its type, the name it was given (if any), and for events whether it is indexed.</summary>
public sealed record AbiParameter(AbiType Type, string? Name = null, bool Indexed = false)
{
    public override string ToString() => $"{Type}{(Indexed ? " indexed" : "")}{(Name is null ? "" : " " + Name)}";
}
