// A reflection client no one here wrote (npm grpc-js-reflection-client, pinned in package.json), as a user without
// our .proto files would explore the node: list the services, list a service's methods, fetch the descriptors (with
// their imports) from the server and call the Query API through them.
//   node reflection.mjs --target 127.0.0.1:PORT --market ID
// Prints one JSON object with what it found. Exits non-zero with the error if any step fails.
import { parseArgs } from "node:util";
import grpc from "@grpc/grpc-js";
import { GrpcReflection } from "grpc-js-reflection-client";

const { values: args } = parseArgs({ options: { target: { type: "string" }, market: { type: "string" } } });
const credentials = grpc.ChannelCredentials.createInsecure();
const reflection = new GrpcReflection(args.target, credentials, { "grpc.enable_http_proxy": 0 });

const unary = (client, method, request) =>
  new Promise((resolve, reject) => client[method](request, { deadline: Date.now() + 10_000 }, (error, response) => (error ? reject(error) : resolve(response))));

const services = await reflection.listServices();
const methods = (await reflection.listMethods("rollup.v1.Query")).map((m) => m.name);
const descriptor = await reflection.getDescriptorBySymbol("rollup.v1.Query");
const root = descriptor.getPackageObject({ keepCase: true, longs: String, enums: String, defaults: true });
const query = new root.rollup.v1.Query(args.target, credentials, { "grpc.enable_http_proxy": 0 });
const markets = await unary(query, "ListMarkets", {});
const market = await unary(query, "GetMarket", { market: Number(args.market) });
const head = await unary(query, "GetStateRoot", {});
query.close();

console.log(JSON.stringify({
  services,
  query_methods: methods,
  market_ids: markets.markets.map((m) => m.market),
  market_symbol: market.params.symbol,
  block_number: Number(head.block_number),
  state_root_hex: Buffer.from(head.state_root).toString("hex"),
}));
process.exit(0);
