// A gRPC client no one here wrote (@grpc/grpc-js with @grpc/proto-loader, pinned in package.json)
// against our C# server.
//   node client.mjs --target 127.0.0.1:PORT --protos DIR --grpc-descriptors FILE --deadline-key KEY
// FILE is a FileDescriptorSet holding grpc.reflection.v1 and grpc.health.v1.
// Prints one JSON object: one entry per check, each {"ok": bool, ...details}. Exits 0 whenever it
// could run the checks.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import grpc from "@grpc/grpc-js";
import protoLoader from "@grpc/proto-loader";

const { values: args } = parseArgs({
  options: {
    target: { type: "string" },
    protos: { type: "string" },
    "grpc-descriptors": { type: "string" },
    "deadline-key": { type: "string" },
  },
});

const loadOptions = { keepCase: false, longs: String, enums: String, defaults: true, oneofs: true };
const load = (dir, file) => grpc.loadPackageDefinition(protoLoader.loadSync(path.join(dir, file), { ...loadOptions, includeDirs: [dir] }));
const test = load(args.protos, "test_service.proto").rollup.grpc.test;
const standard = grpc.loadPackageDefinition(protoLoader.loadFileDescriptorSetFromBuffer(fs.readFileSync(args["grpc-descriptors"]), loadOptions));
const reflectionV1 = standard.grpc.reflection.v1;
const healthV1 = standard.grpc.health.v1;

// No proxy: the server is on loopback whatever the environment says.
const channelOptions = { "grpc.enable_http_proxy": 0 };
const credentials = grpc.credentials.createInsecure();
const client = new test.TestService(args.target, credentials, channelOptions);
const gzipClient = new test.TestService(args.target, credentials, { ...channelOptions, "grpc.default_compression_algorithm": 2 });
const deadlineIn = (ms) => ({ deadline: new Date(Date.now() + ms) });

const unary = (target, name, request, options = deadlineIn(10000)) =>
  new Promise((resolve, reject) => target[name](request, options, (error, reply) => (error ? reject(error) : resolve(reply))));

const failure = async (promise) => {
  try {
    await promise;
  } catch (error) {
    return { code: error.code, details: error.details, trailer: error.metadata?.get("failure-kind")[0] ?? null };
  }
  throw new Error("the call succeeded");
};

const collect = (stream) =>
  new Promise((resolve, reject) => {
    const items = [];
    stream.on("data", (item) => items.push(item));
    stream.on("error", reject);
    stream.on("end", () => resolve(items));
  });

const checks = {
  unary: async () => {
    const reply = await unary(client, "Echo", { text: "from node", payload: Buffer.from([0, 1, 255]) });
    return { text: reply.text, payload: Buffer.from(reply.payload).toString("hex") };
  },
  unary_gzip: async () => ({ length: (await unary(gzipClient, "Echo", { text: "z".repeat(10000) })).text.length }),
  server_streaming: async () => ({
    indexes: (await collect(client.Count({ text: "s", count: 5 }, deadlineIn(10000)))).map((r) => r.index),
  }),
  client_streaming: () =>
    new Promise((resolve, reject) => {
      const call = client.Concat(deadlineIn(10000), (error, reply) => (error ? reject(error) : resolve({ text: reply.text, count: reply.index })));
      for (const text of ["a", "b", "c"]) call.write({ text });
      call.end();
    }),
  duplex: async () => {
    const call = client.Chat(deadlineIn(10000));
    const replies = collect(call);
    call.write({ text: "x" });
    call.write({ text: "y" });
    call.end();
    return { texts: (await replies).map((r) => r.text) };
  },
  deadline: () => failure(unary(client, "WaitForCancel", { text: args["deadline-key"] }, deadlineIn(300))),
  unknown_method: () =>
    failure(
      new Promise((resolve, reject) =>
        client.makeUnaryRequest(
          "/rollup.grpc.test.TestService/Missing",
          (value) => value,
          (bytes) => bytes,
          Buffer.alloc(0),
          deadlineIn(10000),
          (error, reply) => (error ? reject(error) : resolve(reply)),
        ),
      ),
    ),
  error_detail: () => failure(unary(client, "Fail", { text: "rpc:5:déjà 100% vu" })),
  reflection: async () => {
    const reflection = new reflectionV1.ServerReflection(args.target, credentials, channelOptions);
    const call = reflection.ServerReflectionInfo(deadlineIn(10000));
    const responses = collect(call);
    // Types loaded from descriptors keep the .proto field names (snake_case).
    call.write({ list_services: "" });
    call.write({ file_containing_symbol: "rollup.grpc.test.TestService" });
    call.write({ file_by_filename: "no/such.proto" });
    call.end();
    const [listed, found, missing] = await responses;
    reflection.close();
    return {
      services: listed.list_services_response.service.map((s) => s.name),
      file_bytes: found.file_descriptor_response.file_descriptor_proto.reduce((n, b) => n + b.length, 0),
      missing_error_code: missing.error_response.error_code,
    };
  },
  health: async () => {
    const health = new healthV1.Health(args.target, credentials, channelOptions);
    const reply = await unary(health, "Check", { service: "" });
    health.close();
    return { status: reply.status };
  },
};

const results = {};
for (const [name, check] of Object.entries(checks)) {
  try {
    results[name] = { ok: true, ...(await check()) };
  } catch (error) {
    results[name] = { ok: false, error: String(error), stack: error?.stack ?? null };
  }
}
client.close();
gzipClient.close();
process.stdout.write(JSON.stringify(results));
