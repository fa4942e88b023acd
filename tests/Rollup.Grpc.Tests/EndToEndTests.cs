using Google.Protobuf;
using Rollup.Grpc.Tests.Protos;

namespace Rollup.Grpc.Tests;

[Collection(SharedGrpcServer.Name)]
public sealed class EndToEndTests(GrpcServerFixture fixture)
{
    private GrpcChannel Channel => fixture.Channel;

    [Fact]
    public async Task Unary_Echo_ReturnsTextAndPayload()
    {
        var reply = await Channel.UnaryAsync(TestMethods.Echo, new EchoRequest { Text = "hello", Payload = ByteString.CopyFrom(1, 2, 3) });
        Assert.Equal("hello", reply.Text);
        Assert.Equal(new byte[] { 1, 2, 3 }, reply.Payload.ToByteArray());
    }
}
