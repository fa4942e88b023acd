using Grpc.Core;
using Grpc.Core.Interceptors;
using Rollup.Execution.Chain;

namespace Rollup.Api.Hosting;

/// <summary>
/// Answers a call that found the chain failed (<see cref="ChainUnavailableException"/>: a read, a stream snapshot, a
/// stream following blocks) with UNAVAILABLE and the reason, instead of grpc-dotnet's UNKNOWN "Exception was thrown
/// by handler": a client can tell a node that must restart from a bug in its request.
/// </summary>
public sealed class ChainUnavailableInterceptor : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context).ConfigureAwait(false);
        }
        catch (ChainUnavailableException error)
        {
            throw Unavailable(error);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context).ConfigureAwait(false);
        }
        catch (ChainUnavailableException error)
        {
            throw Unavailable(error);
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(requestStream, context).ConfigureAwait(false);
        }
        catch (ChainUnavailableException error)
        {
            throw Unavailable(error);
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(requestStream, responseStream, context).ConfigureAwait(false);
        }
        catch (ChainUnavailableException error)
        {
            throw Unavailable(error);
        }
    }

    private static RpcException Unavailable(ChainUnavailableException error) => new(new Status(StatusCode.Unavailable, error.Message));
}
