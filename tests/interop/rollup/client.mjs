// A client no one here wrote: @grpc/grpc-js + @grpc/proto-loader for the wire, ethers for EIP-712
// signing, against the rollup.v1 services.
//   node client.mjs --target 127.0.0.1:PORT --protos DIR --key HEX --chain-id N --contract 0x.. --market M --price P
// Prints one JSON object, one entry per check. Exits 0 whenever it could run the checks.
import path from "node:path";
import { parseArgs } from "node:util";
import grpc from "@grpc/grpc-js";
import protoLoader from "@grpc/proto-loader";
import { Wallet, getBytes } from "ethers";

const { values: args } = parseArgs({
  options: {
    target: { type: "string" },
    protos: { type: "string" },
    key: { type: "string" },
    "chain-id": { type: "string" },
    contract: { type: "string" },
    market: { type: "string" },
    price: { type: "string" },
  },
});

const loadOptions = { keepCase: false, longs: String, enums: String, defaults: true, oneofs: true, includeDirs: [args.protos] };
const files = ["rollup/v1/submission.proto", "rollup/v1/query.proto", "rollup/v1/streams.proto"];
const rollup = grpc.loadPackageDefinition(protoLoader.loadSync(files, loadOptions)).rollup.v1;
const reflection = grpc.loadPackageDefinition(protoLoader.loadSync("grpc/reflection/v1/reflection.proto", loadOptions)).grpc.reflection.v1;
const options = { "grpc.enable_http_proxy": 0 };
const credentials = grpc.credentials.createInsecure();
const submission = new rollup.Submission(args.target, credentials, options);
const query = new rollup.Query(args.target, credentials, options);
const streams = new rollup.Streams(args.target, credentials, options);
const deadlineIn = (ms) => ({ deadline: new Date(Date.now() + ms) });
const call = (client, name, request, callOptions = deadlineIn(10000)) =>
  new Promise((resolve, reject) => client[name](request, callOptions, (error, reply) => (error ? reject(error) : resolve(reply))));
const failure = async (promise) => {
  try {
    await promise;
  } catch (error) {
    return { code: error.code, details: error.details };
  }
  throw new Error("the call succeeded");
};

const wallet = new Wallet(args.key);
const market = Number(args.market);
const domain = { name: "Rollup", version: "1", chainId: BigInt(args["chain-id"]), verifyingContract: args.contract };
// Written from docs/eip712.md and docs/transactions.md.
const types = {
  TransferMargin: [
    { name: "account", type: "address" }, { name: "market", type: "uint32" }, { name: "amount", type: "uint64" },
    { name: "toMarket", type: "bool" }, { name: "nonce", type: "uint64" },
  ],
  Order: [
    { name: "account", type: "address" }, { name: "market", type: "uint32" }, { name: "isBuy", type: "bool" },
    { name: "price", type: "uint64" }, { name: "size", type: "uint64" }, { name: "kind", type: "uint8" },
    { name: "timeInForce", type: "uint8" }, { name: "reduceOnly", type: "bool" }, { name: "clientOrderId", type: "uint64" },
    { name: "nonce", type: "uint64" },
  ],
};
const sign = async (primaryType, message, signingDomain = domain) =>
  Buffer.from(getBytes(await wallet.signTypedData(signingDomain, { [primaryType]: types[primaryType] }, message)));
const account = Buffer.from(getBytes(wallet.address));

const order = { account: wallet.address, market, isBuy: true, price: args.price, size: "1000000", kind: 0, timeInForce: 0, reduceOnly: false, clientOrderId: "42", nonce: "1" };
const orderMessage = (o) => ({
  account, market: o.market, isBuy: o.isBuy, price: o.price, size: o.size, kind: "ORDER_KIND_LIMIT",
  timeInForce: "TIME_IN_FORCE_GTC", reduceOnly: o.reduceOnly, clientOrderId: o.clientOrderId, nonce: o.nonce,
});

const checks = {
  transfer_margin: async () => {
    const transfer = { account: wallet.address, market, amount: "20000000000", toMarket: true, nonce: "0" };
    const signature = await sign("TransferMargin", transfer);
    const reply = await call(submission, "Submit", {
      requestId: "1",
      transaction: { transferMargin: { account, market, amount: transfer.amount, toMarket: true, nonce: "0" }, signature },
    });
    return { sequence: reply.ack.sequence, signature_length: reply.ack.signature.length };
  },
  order: async () => {
    const signature = await sign("Order", order);
    const reply = await call(submission, "Submit", { requestId: "2", transaction: { placeOrder: orderMessage(order), signature } });
    return { sequence: reply.ack.sequence, tx_hash_length: reply.ack.txHash.length };
  },
  replay: async () => {
    const signature = await sign("Order", order);
    return failure(call(submission, "Submit", { transaction: { placeOrder: orderMessage(order), signature } }));
  },
  wrong_chain: async () => {
    const other = { ...order, nonce: "2" };
    const signature = await sign("Order", other, { ...domain, chainId: domain.chainId + 1n });
    return failure(call(submission, "Submit", { transaction: { placeOrder: orderMessage(other), signature } }));
  },
  order_book_stream: () =>
    new Promise((resolve, reject) => {
      // The book as snapshot then deltas; read until our bid shows.
      const stream = streams.StreamOrderBook({ market, depth: 10 }, deadlineIn(15000));
      let sequence = -1;
      stream.on("data", (update) => {
        if (Number(update.sequence) !== sequence + 1) {
          reject(new Error(`gap: ${sequence} -> ${update.sequence}`));
        }
        sequence = Number(update.sequence);
        const levels = update.snapshot ? update.snapshot.bids : update.bidChanges;
        const bid = levels.find((level) => level.price === args.price);
        if (bid) {
          stream.cancel();
          resolve({ price: bid.price, size: bid.size, sequence, from_snapshot: Boolean(update.snapshot) });
        }
      });
      stream.on("error", (error) => (error.code === grpc.status.CANCELLED ? null : reject(error)));
    }),
  open_orders: async () => {
    const reply = await call(query, "GetOpenOrders", { account, market });
    return { client_order_ids: reply.orders.map((o) => o.clientOrderId) };
  },
  deadline: () =>
    new Promise((resolve) => {
      const stream = streams.StreamBlocks({}, deadlineIn(300));
      stream.on("data", () => {});
      stream.on("error", (error) => resolve({ code: error.code }));
      stream.on("end", () => resolve({ code: "ended" }));
    }),
  unimplemented: async () => {
    const Generic = grpc.makeGenericClientConstructor({
      Nothing: {
        path: "/rollup.v1.Query/NoSuchMethod", requestStream: false, responseStream: false,
        requestSerialize: (x) => x, requestDeserialize: (x) => x, responseSerialize: (x) => x, responseDeserialize: (x) => x,
      },
    });
    return failure(call(new Generic(args.target, credentials, options), "Nothing", Buffer.alloc(0)));
  },
  reflection: () =>
    new Promise((resolve, reject) => {
      const client = new reflection.ServerReflection(args.target, credentials, options);
      const stream = client.ServerReflectionInfo(deadlineIn(10000));
      stream.on("data", (response) => {
        resolve({ services: response.listServicesResponse.service.map((s) => s.name).sort() });
        stream.end();
      });
      stream.on("error", reject);
      stream.write({ listServices: "" });
    }),
};

const results = {};
for (const [name, check] of Object.entries(checks)) {
  try {
    results[name] = { ok: true, ...(await check()) };
  } catch (error) {
    results[name] = { ok: false, error: String(error?.message ?? error) };
  }
}
process.stdout.write(JSON.stringify(results));
process.exit(0);
