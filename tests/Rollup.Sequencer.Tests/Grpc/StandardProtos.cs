using Google.Protobuf;
using Google.Protobuf.Reflection;
using Rollup.Testing;

namespace Rollup.Sequencer.Tests.Grpc;

/// <summary>
/// grpc.reflection.v1 and grpc.health.v1 as the server's own packages (Grpc.Reflection, Grpc.HealthCheck) describe
/// them, written as a FileDescriptorSet for the interop clients, so no copy of those .proto files is kept here.
/// </summary>
internal static class StandardProtos
{
    public static string WriteDescriptorSet(TempDirectory directory)
    {
        var set = new FileDescriptorSet();
        foreach (var file in new[] { global::Grpc.Reflection.V1.ReflectionReflection.Descriptor, global::Grpc.Health.V1.HealthReflection.Descriptor })
        {
            set.File.Add(FileDescriptorProto.Parser.ParseFrom(file.SerializedData));
        }
        var path = Path.Combine(directory.Path, "grpc-standard.pb");
        File.WriteAllBytes(path, set.ToByteArray());
        return path;
    }
}
