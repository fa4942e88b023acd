using Rollup.Grpc;
using P = Rollup.Proto.V1;

namespace Rollup.Sequencer.Api;

/// <summary>rollup.v1.Submission on a validator: every call is refused with FAILED_PRECONDITION and where to go instead.</summary>
public static class SubmissionRefusal
{
    private const string Reason = "this node is a validator: it rebuilds the chain from L1 and takes no transactions; submit them to the sequencer";

    public static GrpcServiceDefinition Definition() =>
        GrpcServiceDefinition.CreateBuilder(ApiServices.Submission)
            .AddUnary(ApiServices.Method<P.SubmitRequest, P.SubmitResponse>(ApiServices.Submission, "Submit"), (_, _) => Refuse<P.SubmitResponse>())
            .AddDuplexStreaming(ApiServices.Method<P.SubmitRequest, P.SubmitResponse>(ApiServices.Submission, "SubmitStream"), (_, _, _) => Task.FromException(new RpcException(StatusCode.FailedPrecondition, Reason)))
            .Build();

    private static Task<T> Refuse<T>() => Task.FromException<T>(new RpcException(StatusCode.FailedPrecondition, Reason));
}
