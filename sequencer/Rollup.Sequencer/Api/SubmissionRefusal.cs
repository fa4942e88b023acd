using Grpc.Core;
using P = Rollup.Proto.V1;

namespace Rollup.Sequencer.Api;

/// <summary>rollup.v1.Submission on a validator: every call is refused with FAILED_PRECONDITION and where to go instead.</summary>
public sealed class SubmissionRefusal : P.Submission.SubmissionBase
{
    private const string Reason = "this node is a validator: it rebuilds the chain from L1 and takes no transactions; submit them to the sequencer";

    public override Task<P.SubmitResponse> Submit(P.SubmitRequest request, ServerCallContext context) => throw Refused();

    public override Task SubmitStream(IAsyncStreamReader<P.SubmitRequest> requestStream, IServerStreamWriter<P.SubmitResponse> responseStream, ServerCallContext context) => throw Refused();

    private static RpcException Refused() => new(new Status(StatusCode.FailedPrecondition, Reason));
}
