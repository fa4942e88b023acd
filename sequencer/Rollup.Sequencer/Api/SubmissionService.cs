using System.Threading.Channels;
using Google.Protobuf;
using Rollup.Grpc;
using Rollup.Sequencer.Admission;
using P = Rollup.Proto.V1;

namespace Rollup.Sequencer.Api;

/// <summary>rollup.v1.Submission: one transaction per call, or a stream of them for market makers.</summary>
public sealed class SubmissionService(Sequencer sequencer, int maxInFlightPerStream = 1024)
{
    public GrpcServiceDefinition Definition() =>
        GrpcServiceDefinition.CreateBuilder(ApiServices.Submission)
            .AddUnary(ApiServices.Method<P.SubmitRequest, P.SubmitResponse>(ApiServices.Submission, "Submit"), SubmitAsync)
            .AddDuplexStreaming(ApiServices.Method<P.SubmitRequest, P.SubmitResponse>(ApiServices.Submission, "SubmitStream"), SubmitStreamAsync)
            .Build();

    private async Task<P.SubmitResponse> SubmitAsync(P.SubmitRequest request, ServerCallContext context)
    {
        var response = await Admit(request).ConfigureAwait(false);
        if (response.Rejection is { } rejection)
        {
            throw new RpcException(StatusOf((SubmitStatus)rejection.Code), $"{rejection.Name}: {rejection.Reason}");
        }
        return response;
    }

    /// <summary>
    /// Requests are admitted as they arrive, up to <c>maxInFlightPerStream</c> at once; responses go back
    /// as admissions complete, matched by request id. A refusal is a response, not the end of the stream.
    /// </summary>
    private async Task SubmitStreamAsync(IAsyncStreamReader<P.SubmitRequest> requests, IServerStreamWriter<P.SubmitResponse> responses, ServerCallContext context)
    {
        var token = context.CancellationToken;
        using var slots = new SemaphoreSlim(maxInFlightPerStream, maxInFlightPerStream);
        var completed = Channel.CreateUnbounded<P.SubmitResponse>(new UnboundedChannelOptions { SingleReader = true });
        var writer = Task.Run(async () =>
        {
            await foreach (var response in completed.Reader.ReadAllAsync(token).ConfigureAwait(false))
            {
                await responses.WriteAsync(response, token).ConfigureAwait(false);
            }
        }, token);
        var inFlight = new List<Task>();
        await foreach (var request in requests.ReadAllAsync(token).ConfigureAwait(false))
        {
            await slots.WaitAsync(token).ConfigureAwait(false);
            inFlight.Add(Complete(request));
            if (inFlight.Count > maxInFlightPerStream * 2)
            {
                inFlight.RemoveAll(t => t.IsCompleted);
            }
        }
        await Task.WhenAll(inFlight).ConfigureAwait(false);
        completed.Writer.Complete();
        await writer.ConfigureAwait(false);

        async Task Complete(P.SubmitRequest request)
        {
            try
            {
                completed.Writer.TryWrite(await Admit(request).ConfigureAwait(false));
            }
            finally
            {
                slots.Release();
            }
        }
    }

    private async Task<P.SubmitResponse> Admit(P.SubmitRequest request)
    {
        if (request.Transaction is null)
        {
            return Rejected(request.RequestId, SubmitStatus.Invalid, "transaction: missing");
        }
        if (!TransactionMapping.TryFromProto(request.Transaction, out var tx, out var error))
        {
            return Rejected(request.RequestId, SubmitStatus.Invalid, error);
        }
        var result = await sequencer.SubmitAsync(tx).ConfigureAwait(false);
        if (!result.IsAccepted)
        {
            return Rejected(request.RequestId, result.Status, result.Detail ?? result.Status.ToString());
        }
        return new P.SubmitResponse
        {
            RequestId = request.RequestId,
            Ack = new P.Ack
            {
                Sequence = result.Sequence,
                TxHash = ByteString.CopyFrom(result.TxHash.Bytes),
                Signature = ByteString.CopyFrom(result.AckSignature.Bytes),
            },
        };
    }

    private static P.SubmitResponse Rejected(ulong requestId, SubmitStatus status, string reason) => new()
    {
        RequestId = requestId,
        Rejection = new P.Rejection { Code = (uint)status, Name = status.ToString(), Reason = reason },
    };

    /// <summary>The gRPC status of each admission refusal (documented in submission.proto).</summary>
    public static StatusCode StatusOf(SubmitStatus status) => status switch
    {
        SubmitStatus.Invalid => StatusCode.InvalidArgument,
        SubmitStatus.BadSignature => StatusCode.Unauthenticated,
        SubmitStatus.Replayed => StatusCode.AlreadyExists,
        SubmitStatus.NonceTooOld or SubmitStatus.NonceTooFar => StatusCode.FailedPrecondition,
        SubmitStatus.TooManyPending => StatusCode.ResourceExhausted,
        _ => StatusCode.Unavailable,
    };
}
