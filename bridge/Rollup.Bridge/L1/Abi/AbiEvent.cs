using Rollup.Primitives;

namespace Rollup.Bridge.L1;

/// <summary>
/// A contract event from its signature, e.g.
/// <c>AbiEvent.Parse("DepositQueued(uint64 indexed index, address indexed l2Account, address indexed from, uint64 amount, uint64 l1Block)")</c>.
/// A log of it has topic 0 = keccak256 of the canonical signature, one topic per indexed parameter,
/// and the other parameters encoded as a tuple in the data. Anonymous events are not supported.
/// </summary>
public sealed class AbiEvent
{
    private const int MaxIndexed = 3;

    private AbiEvent(string name, IReadOnlyList<AbiParameter> parameters)
    {
        if (parameters.Count(p => p.Indexed) > MaxIndexed)
        {
            throw new AbiException($"event {name}: at most {MaxIndexed} parameters can be indexed");
        }
        Name = name;
        Parameters = parameters;
        CanonicalSignature = AbiSignatures.Canonical(name, parameters);
        Topic0 = AbiSignatures.Hash(CanonicalSignature);
    }

    public string Name { get; }

    public IReadOnlyList<AbiParameter> Parameters { get; }

    public string CanonicalSignature { get; }

    public Hash256 Topic0 { get; }

    public static AbiEvent Parse(string signature)
    {
        var parsed = AbiSignatureParser.ParseSignature(signature, "event");
        return parsed.Outputs.Count == 0
            ? new AbiEvent(parsed.Name, parsed.Inputs)
            : throw new AbiException($"event {parsed.Name}: events have no return values");
    }

    /// <summary>
    /// The parameters in declaration order. An indexed parameter of a static type is decoded from its topic;
    /// one of a dynamic type (bytes, string, arrays, tuples) is only present as its hash, returned as a <see cref="Hash256"/>.
    /// </summary>
    public object?[] Decode(IReadOnlyList<Hash256> topics, ReadOnlySpan<byte> data)
    {
        var indexedCount = Parameters.Count(p => p.Indexed);
        if (topics.Count != 1 + indexedCount)
        {
            throw new AbiException($"{CanonicalSignature}: expected {1 + indexedCount} topics, got {topics.Count}");
        }
        if (topics[0] != Topic0)
        {
            throw new AbiException($"{CanonicalSignature}: topic 0 is {topics[0]}, not {Topic0}");
        }
        var dataValues = AbiDecoder.Decode(Parameters.Where(p => !p.Indexed).Select(p => p.Type).ToArray(), data);
        var values = new object?[Parameters.Count];
        int topic = 1, dataIndex = 0;
        for (var i = 0; i < Parameters.Count; i++)
        {
            var parameter = Parameters[i];
            if (!parameter.Indexed)
            {
                values[i] = dataValues[dataIndex++];
            }
            else if (parameter.Type.IsDynamic || parameter.Type.HeadLength != AbiType.WordLength)
            {
                values[i] = topics[topic++];
            }
            else
            {
                values[i] = AbiDecoder.Decode(parameter.Type, topics[topic++].Bytes);
            }
        }
        return values;
    }

    /// <summary>Decodes a log of this event (see the other overload).</summary>
    public object?[] Decode(L1Log log) => Decode(log.Topics, log.Data.Span);

    /// <summary>True when the log's topic 0 is this event's.</summary>
    public bool Matches(L1Log log) => log.Topics.Count > 0 && log.Topics[0] == Topic0;

    public override string ToString() => CanonicalSignature;
}
