using System.Threading.Channels;
using Google.Protobuf;
using Rollup.Api;
using Rollup.Execution.Acks;
using Rollup.Execution.Transactions;
using Grpc.Core;
using Rollup.Sequencer.Admission;
using P = Rollup.Proto.V1;

namespace Rollup.Sequencer.Api;

/// <summary>rollup.v1.Submission: one transaction per call, or a stream of them for market makers.</summary>
public sealed class SubmissionService(Sequencer sequencer, int maxInFlightPerStream = 1024) : P.Submission.SubmissionBase
{
    public override async Task<P.SubmitResponse> Submit(P.SubmitRequest request, ServerCallContext context)
    {
        var response = await Admit(request).ConfigureAwait(false);
        if (response.Rejection is { } rejection)
        {
            throw new RpcException(new Status(StatusOf((SubmitStatus)rejection.Code), $"{rejection.Name}: {rejection.Reason}"));
        }
        return response;
    }

    /// <summary>
    /// Requests are admitted as they arrive, up to <c>maxInFlightPerStream</c> at once; responses go back
    /// as admissions complete, matched by request id. A refusal is a response, not the end of the stream.
    /// Requests already buffered when one arrives are admitted with it as one batch (at most
    /// <see cref="MaxBatch"/>), in stream order; responses waiting together are written with one flush.
    /// </summary>
    public override async Task SubmitStream(IAsyncStreamReader<P.SubmitRequest> requestStream, IServerStreamWriter<P.SubmitResponse> responseStream, ServerCallContext context)
    {
        var token = context.CancellationToken;
        using var slots = new SemaphoreSlim(maxInFlightPerStream, maxInFlightPerStream);
        // Synchronous continuations: the batch that completes hands its responses straight to an idle writer loop on its
        // own thread instead of waking another pool thread for it (one thread hop less per batch).
        var completed = Channel.CreateUnbounded<P.SubmitResponse[]>(new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = true });
        var writer = Task.Run(async () =>
        {
            var outgoing = new List<P.SubmitResponse>();
            while (await completed.Reader.WaitToReadAsync(token).ConfigureAwait(false))
            {
                outgoing.Clear();
                while (outgoing.Count < MaxBatch * 4 && completed.Reader.TryRead(out var done))
                {
                    outgoing.AddRange(done);
                }
                await responseStream.WriteManyAsync(outgoing).ConfigureAwait(false);
            }
        }, token);
        var inFlight = new List<Task>();
        var batch = new List<P.SubmitRequest>();
        InvalidProtocolBufferException? undecodable = null;
        var gone = false;
        var received = 0L;
        var read = requestStream.MoveNext(token);
        while (true)
        {
            bool more;
            try
            {
                more = await read.ConfigureAwait(false);
            }
            catch (InvalidProtocolBufferException error)
            {
                // The framing held but this message is not a SubmitRequest: stop reading here, answer what came before.
                undecodable = error;
                break;
            }
            catch (Exception error) when (error is IOException || (error is OperationCanceledException && token.IsCancellationRequested))
            {
                // The client reset the stream (Kestrel's IOException may come before the call's token is cancelled).
                gone = true;
                break;
            }
            if (!more)
            {
                break;
            }
            received++;
            var request = requestStream.Current;
            if (!slots.Wait(0))
            {
                Flush();
                try
                {
                    await slots.WaitAsync(token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    gone = true;
                    break;
                }
            }
            batch.Add(request);
            read = requestStream.MoveNext(token);
            if (!read.IsCompleted || batch.Count >= MaxBatch)
            {
                Flush();
            }
        }
        Flush();
        // Admission runs to its end whatever the client does: what was admitted is logged and acknowledged.
        await Task.WhenAll(inFlight).ConfigureAwait(false);
        completed.Writer.Complete();
        try
        {
            await writer.ConfigureAwait(false);
        }
        catch (Exception error) when (gone || token.IsCancellationRequested || error is IOException)
        {
            // The client reset or left: its answers have nowhere to go. That is the client's doing, not a server
            // failure, so the call ends quietly instead of as an error with a stack trace in the log.
            return;
        }
        if (gone)
        {
            return;
        }
        if (undecodable is not null)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument,
                $"message {received + 1} of the stream is not a SubmitRequest ({undecodable.Message}); the {received} before it were answered, nothing after it was read"));
        }

        void Flush()
        {
            if (batch.Count == 0)
            {
                return;
            }
            inFlight.Add(Complete(batch));
            batch = [];
            if (inFlight.Count > 64)
            {
                inFlight.RemoveAll(t => t.IsCompleted);
            }
        }

        async Task Complete(List<P.SubmitRequest> admitted)
        {
            try
            {
                completed.Writer.TryWrite(await AdmitManyAsync(admitted).ConfigureAwait(false));
            }
            finally
            {
                slots.Release(admitted.Count);
            }
        }
    }

    /// <summary>Most requests of one stream admitted as one batch.</summary>
    public const int MaxBatch = 256;

    private async Task<P.SubmitResponse> Admit(P.SubmitRequest request)
    {
        var responses = await AdmitManyAsync([request]).ConfigureAwait(false);
        return responses[0];
    }

    /// <summary>Maps, admits as one batch in order, and answers each request (acknowledgement or refusal) in the same order.</summary>
    private async Task<P.SubmitResponse[]> AdmitManyAsync(List<P.SubmitRequest> requests)
    {
        var responses = new P.SubmitResponse[requests.Count];
        var transactions = new List<Transaction>(requests.Count);
        var positions = new List<int>(requests.Count);
        for (var i = 0; i < requests.Count; i++)
        {
            var request = requests[i];
            if (request.Transaction is null)
            {
                responses[i] = Rejected(request.RequestId, SubmitStatus.Invalid, "transaction: missing");
            }
            else if (!TransactionMapping.TryFromProto(request.Transaction, out var tx, out var error))
            {
                responses[i] = Rejected(request.RequestId, SubmitStatus.Invalid, error);
            }
            else
            {
                transactions.Add(tx);
                positions.Add(i);
            }
        }
        if (transactions.Count == 0)
        {
            return responses;
        }
        var results = await sequencer.SubmitManyAsync(transactions).ConfigureAwait(false);
        // The acks of a batch mostly share a tree: its root and signature become one (immutable) ByteString each.
        AckTree? tree = null;
        ByteString root = ByteString.Empty, signature = ByteString.Empty;
        for (var k = 0; k < results.Length; k++)
        {
            var request = requests[positions[k]];
            var result = results[k];
            if (!result.IsAccepted)
            {
                responses[positions[k]] = Rejected(request.RequestId, result.Status, result.Detail ?? result.Status.ToString());
                continue;
            }
            var ackTree = result.AckTree!;
            if (!ReferenceEquals(ackTree, tree))
            {
                tree = ackTree;
                root = ByteString.CopyFrom(tree.Root.Bytes);
                signature = ByteString.CopyFrom(tree.Signature.Bytes);
            }
            responses[positions[k]] = new P.SubmitResponse
            {
                RequestId = request.RequestId,
                Ack = new P.Ack
                {
                    Sequence = result.Sequence,
                    TxHash = ByteString.CopyFrom(result.TxHash.Bytes),
                    Signature = signature,
                    Root = root,
                    Proof = UnsafeByteOperations.UnsafeWrap(ackTree.Proof(result.AckLeaf)),
                },
            };
        }
        return responses;
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
