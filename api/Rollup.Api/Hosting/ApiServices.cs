using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using P = Rollup.Proto.V1;

namespace Rollup.Api.Hosting;

/// <summary>
/// The three rollup.v1 services a node serves, made by the node (a sequencer's submission service or a
/// validator's refusal) and handed to grpc-dotnet as singletons: one instance serves every call.
/// </summary>
public sealed class ApiServices
{
    private readonly Action<IServiceCollection> _register;
    private readonly Action<IEndpointRouteBuilder> _map;

    private ApiServices(Action<IServiceCollection> register, Action<IEndpointRouteBuilder> map)
    {
        _register = register;
        _map = map;
    }

    public static ApiServices Of<TSubmission>(TSubmission submission, QueryService query, StreamsService streams)
        where TSubmission : P.Submission.SubmissionBase => new(
        services =>
        {
            services.AddSingleton(submission);
            services.AddSingleton(query);
            services.AddSingleton(streams);
        },
        endpoints =>
        {
            endpoints.MapGrpcService<TSubmission>();
            endpoints.MapGrpcService<QueryService>();
            endpoints.MapGrpcService<StreamsService>();
        });

    public void Register(IServiceCollection services) => _register(services);

    public void Map(IEndpointRouteBuilder endpoints) => _map(endpoints);
}
