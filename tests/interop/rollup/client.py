#!/usr/bin/env python3
"""A client no one here wrote (Debian's python3-grpcio) against the rollup.v1 services.

    /usr/bin/python3 client.py --target 127.0.0.1:PORT --protos DIR --order JSON --signature HEX

The order is signed elsewhere by ethers' signTypedData (the test passes the signature in). Messages are
built from descriptors that grpc_tools.protoc compiles into a temporary directory; calls go through
grpcio's generic channel methods. Prints one JSON object, one entry per check.
"""
import argparse
import json
import os
import tempfile
import time
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
    with tempfile.TemporaryDirectory(prefix="rollup-interop-") as out:
        descriptor_set = os.path.join(out, "set.pb")
        # protoc.main, unlike the protoc command, does not add the well-known types that google/api/annotations.proto imports.
        well_known = os.path.join(os.path.dirname(protoc.__file__), "_proto")
        if protoc.main(["protoc", f"-I{include}", f"-I{well_known}", f"--descriptor_set_out={descriptor_set}", "--include_imports", *files]) != 0:
            raise RuntimeError("protoc failed")
        file_set = descriptor_pb2.FileDescriptorSet()
        with open(descriptor_set, "rb") as f:
            file_set.ParseFromString(f.read())
    pool = descriptor_pool.DescriptorPool()
    for file in file_set.file:
        pool.Add(file)
    return pool


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--target")
    parser.add_argument("--protos")
    parser.add_argument("--order")
    parser.add_argument("--signature")
    args = parser.parse_args()

    pool = compile_pool(args.protos, ["rollup/v1/submission.proto", "rollup/v1/query.proto", "rollup/v1/streams.proto"])
    M = lambda name: GetMessageClass(pool.FindMessageTypeByName(name))
    channel = grpc.insecure_channel(args.target, options=[("grpc.enable_http_proxy", 0)])

    def unary(path, request, response):
        return channel.unary_unary(path, request_serializer=lambda m: m.SerializeToString(), response_deserializer=response.FromString)(request, timeout=10)

    order = json.loads(args.order)
    results = {}

    def run(name, check):
        try:
            results[name] = {"ok": True, **check()}
        except Exception as error:  # every check is reported
            results[name] = {"ok": False, "error": f"{type(error).__name__}: {error}", "trace": traceback.format_exc()}

    def submit():
        request = M("rollup.v1.SubmitRequest")(request_id=7)
        o = request.transaction.place_order
        o.account = bytes.fromhex(order["account"][2:])
        o.market = order["market"]
        o.is_buy = order["isBuy"]
        o.price = int(order["price"])
        o.size = int(order["size"])
        o.kind = order["kind"]
        o.time_in_force = order["timeInForce"]
        o.reduce_only = order["reduceOnly"]
        o.client_order_id = int(order["clientOrderId"])
        o.nonce = int(order["nonce"])
        request.transaction.signature = bytes.fromhex(args.signature[2:])
        reply = unary("/rollup.v1.Submission/Submit", request, M("rollup.v1.SubmitResponse"))
        return {"request_id": reply.request_id, "sequence": reply.ack.sequence, "signature_length": len(reply.ack.signature)}

    def book_stream():
        stream = channel.unary_stream("/rollup.v1.Streams/StreamOrderBook", request_serializer=lambda m: m.SerializeToString(),
                                      response_deserializer=M("rollup.v1.OrderBookUpdate").FromString)
        call = stream(M("rollup.v1.StreamOrderBookRequest")(market=order["market"], depth=10), timeout=15)
        expected = 0
        for update in call:
            if update.sequence != expected:
                raise RuntimeError(f"gap at {update.sequence}, expected {expected}")
            expected += 1
            levels = update.snapshot.bids if update.HasField("snapshot") else update.bid_changes
            for level in levels:
                if level.price == int(order["price"]):
                    call.cancel()
                    return {"size": level.size, "orders": level.orders}
        raise RuntimeError("stream ended without our bid")

    def deadline():
        stream = channel.unary_stream("/rollup.v1.Streams/StreamBlocks", request_serializer=lambda m: m.SerializeToString(),
                                      response_deserializer=M("rollup.v1.Block").FromString)
        try:
            for _ in stream(M("rollup.v1.StreamBlocksRequest")(), timeout=0.3):
                pass
        except grpc.RpcError as error:
            return {"code": error.code().name}
        return {"code": "ended"}

    def unimplemented():
        try:
            unary("/rollup.v1.Query/NoSuchMethod", M("rollup.v1.GetStateRootRequest")(), M("rollup.v1.StateRoot"))
        except grpc.RpcError as error:
            return {"code": error.code().name}
        return {"code": "OK"}

    def bad_account():
        try:
            unary("/rollup.v1.Query/GetAccount", M("rollup.v1.GetAccountRequest")(account=b"\x01\x02"), M("rollup.v1.Account"))
        except grpc.RpcError as error:
            return {"code": error.code().name, "details": error.details()}
        return {"code": "OK"}

    run("submit", submit)
    run("book_stream", book_stream)
    run("deadline", deadline)
    run("unimplemented", unimplemented)
    run("bad_account", bad_account)
    print(json.dumps(results))


main()
