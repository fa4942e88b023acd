#!/usr/bin/env python3
"""A gRPC client no one here wrote (grpcio, Debian's python3-grpcio) against our C# server.

Run with /usr/bin/python3 (the pyenv shim on PATH cannot import Debian's packages):
    /usr/bin/python3 client.py --target 127.0.0.1:PORT --protos DIR --grpc-descriptors FILE --deadline-key KEY

Messages are built from descriptors that grpc_tools.protoc (python3-grpc-tools) compiles into a
temporary directory, and calls go through grpcio's generic channel methods. Prints one JSON object:
one entry per check, each {"ok": bool, ...details}. Exits 0 whenever it could run the checks.
"""
import argparse
import json
import os
import sys
import tempfile
import traceback

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool
from grpc_tools import protoc

try:
    from google.protobuf.message_factory import GetMessageClass
except ImportError:  # protobuf < 4.22
    from google.protobuf import message_factory

    def GetMessageClass(descriptor):
        return message_factory.MessageFactory(descriptor.file.pool).GetPrototype(descriptor)


def compile_pool(include, files):
    """Compiles .proto files with grpc_tools.protoc and loads them into a fresh descriptor pool."""
    with tempfile.TemporaryDirectory(prefix="rollup-grpc-interop-") as out:
        descriptor_set = os.path.join(out, "set.pb")
        args = ["protoc", f"-I{include}", f"--descriptor_set_out={descriptor_set}", "--include_imports", *files]
        if protoc.main(args) != 0:
            raise RuntimeError(f"protoc failed for {files}")
        return load_pool(descriptor_set)


def load_pool(descriptor_set):
    """Loads a serialized FileDescriptorSet into a fresh descriptor pool."""
    file_set = descriptor_pb2.FileDescriptorSet()
    with open(descriptor_set, "rb") as f:
        file_set.ParseFromString(f.read())
    pool = descriptor_pool.DescriptorPool()
    for file in file_set.file:
        pool.Add(file)
    return pool


def message(pool, name):
    return GetMessageClass(pool.FindMessageTypeByName(name))


def run(check, results, name):
    try:
        results[name] = {"ok": True, **check()}
    except Exception as error:  # a failed check is reported, the others still run
        results[name] = {"ok": False, "error": f"{type(error).__name__}: {error}", "trace": traceback.format_exc()}


def rpc_error(call):
    try:
        call()
    except grpc.RpcError as error:
        return {"code": error.code().name, "details": error.details()}
    raise AssertionError("the call succeeded")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--target", required=True)
    parser.add_argument("--protos", required=True, help="directory of test_service.proto")
    parser.add_argument("--grpc-descriptors", required=True, help="a FileDescriptorSet holding grpc.reflection.v1 (what the server's packages were built from)")
    parser.add_argument("--deadline-key", required=True)
    args = parser.parse_args()

    test_pool = compile_pool(args.protos, ["test_service.proto"])
    reflection_pool = load_pool(args.grpc_descriptors)
    EchoRequest = message(test_pool, "rollup.grpc.test.EchoRequest")
    EchoReply = message(test_pool, "rollup.grpc.test.EchoReply")
    ReflectionRequest = message(reflection_pool, "grpc.reflection.v1.ServerReflectionRequest")
    ReflectionResponse = message(reflection_pool, "grpc.reflection.v1.ServerReflectionResponse")

    # No proxy: the server is on loopback whatever the environment says.
    options = [("grpc.enable_http_proxy", 0)]
    results = {}
    with grpc.insecure_channel(args.target, options=options) as channel:
        grpc.channel_ready_future(channel).result(timeout=10)

        def method(kind, path, request=EchoRequest, response=EchoReply):
            return getattr(channel, kind)(path, request_serializer=request.SerializeToString, response_deserializer=response.FromString)

        service = "/rollup.grpc.test.TestService/"

        def unary():
            reply = method("unary_unary", service + "Echo")(EchoRequest(text="from python", payload=b"\x00\x01\xff"), timeout=10)
            return {"text": reply.text, "payload": reply.payload.hex()}

        def unary_gzip():
            reply = method("unary_unary", service + "Echo")(EchoRequest(text="z" * 10000), timeout=10, compression=grpc.Compression.Gzip)
            return {"length": len(reply.text)}

        def server_streaming():
            replies = method("unary_stream", service + "Count")(EchoRequest(text="s", count=5), timeout=10)
            return {"indexes": [r.index for r in replies]}

        def client_streaming():
            reply = method("stream_unary", service + "Concat")(iter([EchoRequest(text=t) for t in ["a", "b", "c"]]), timeout=10)
            return {"text": reply.text, "count": reply.index}

        def duplex():
            replies = method("stream_stream", service + "Chat")(iter([EchoRequest(text=t) for t in ["x", "y"]]), timeout=10)
            return {"texts": [r.text for r in replies]}

        def deadline():
            return rpc_error(lambda: method("unary_unary", service + "WaitForCancel")(EchoRequest(text=args.deadline_key), timeout=0.3))

        def unknown_method():
            return rpc_error(lambda: method("unary_unary", service + "Missing")(EchoRequest(), timeout=10))

        def unknown_service():
            return rpc_error(lambda: method("unary_unary", "/rollup.grpc.test.Nowhere/Echo")(EchoRequest(), timeout=10))

        def error_detail():
            return rpc_error(lambda: method("unary_unary", service + "Fail")(EchoRequest(text="rpc:5:déjà 100% vu"), timeout=10))

        def reflection():
            info = method("stream_stream", "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo", ReflectionRequest, ReflectionResponse)
            requests = [
                ReflectionRequest(list_services=""),
                ReflectionRequest(file_containing_symbol="rollup.grpc.test.TestService"),
                ReflectionRequest(file_containing_symbol="no.such.Symbol"),
            ]
            listed, found, missing = list(info(iter(requests), timeout=10))
            # Build the messages from what reflection returned, and call the service with them.
            pool = descriptor_pool.DescriptorPool()
            files = []
            for raw in found.file_descriptor_response.file_descriptor_proto:
                proto = descriptor_pb2.FileDescriptorProto.FromString(raw)
                files.append(proto.name)
                pool.Add(proto)
            methods = [m.name for m in pool.FindServiceByName("rollup.grpc.test.TestService").methods]
            Request = message(pool, "rollup.grpc.test.EchoRequest")
            Reply = message(pool, "rollup.grpc.test.EchoReply")
            reply = method("unary_unary", service + "Echo", Request, Reply)(Request(text="via reflection"), timeout=10)
            return {
                "services": [s.name for s in listed.list_services_response.service],
                "files": files,
                "methods": methods,
                "echo": reply.text,
                "missing_error_code": missing.error_response.error_code,
            }

        for name, check in [
            ("unary", unary),
            ("unary_gzip", unary_gzip),
            ("server_streaming", server_streaming),
            ("client_streaming", client_streaming),
            ("duplex", duplex),
            ("deadline", deadline),
            ("unknown_method", unknown_method),
            ("unknown_service", unknown_service),
            ("error_detail", error_detail),
            ("reflection", reflection),
        ]:
            run(check, results, name)
    json.dump(results, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
