using Google.Protobuf.Reflection;
using Rollup.Execution.Transactions;
using P = Rollup.Proto.V1;

namespace Rollup.Sequencer.Tests;

/// <summary>
/// The API's transaction messages against the one definition of each kind's fields (<see cref="TxLayout"/>): every
/// signed kind's message sits at its wire value in the Transaction oneof and has exactly the kind's EIP-712 members, in
/// order; the nested structs' messages have exactly the nested types' members.
/// </summary>
public class ProtoLayoutTests
{
    public static TheoryData<TxKind> SignedKinds() => new(TxKinds.All.ToArray().Where(k => k.IsSigned()));

    [Theory]
    [MemberData(nameof(SignedKinds))]
    public void TransactionMessage_OfEachKind_HasTheKindsMembersInOrder(TxKind kind)
    {
        var layout = TxLayout.Of(kind);
        var field = P.Transaction.Descriptor.FindFieldByNumber((int)kind);
        Assert.NotNull(field);
        Assert.Equal("kind", field.ContainingOneof?.Name);
        var members = layout.Fields.Where(layout.IsMember).Select(f => TxLayout.Member(f).Name);
        Assert.Equal(members, field.MessageType.Fields.InFieldNumberOrder().Select(CamelName));
    }

    [Fact]
    public void NestedMessages_HaveTheNestedTypesMembersInOrder()
    {
        Assert.Equal(MembersOf(TransactionSigning.MarketParamsType), P.MarketParams.Descriptor.Fields.InFieldNumberOrder().Select(CamelName));
        Assert.Equal(MembersOf(TransactionSigning.BulkItemType), P.BulkItem.Descriptor.Fields.InFieldNumberOrder().Select(CamelName));
    }

    private static string CamelName(FieldDescriptor field) => field.JsonName;

    /// <summary>The member names of <c>Name(type name,...)</c>.</summary>
    private static IEnumerable<string> MembersOf(string encodedType)
    {
        var open = encodedType.IndexOf('(', StringComparison.Ordinal);
        return encodedType[(open + 1)..^1].Split(',').Select(member => member.Split(' ')[1]);
    }
}
