// A client no one here wrote: @grpc/grpc-js + @grpc/proto-loader for the wire, ethers for EIP-712
// signing, against the rollup.v1 services.
//   node client.mjs --target 127.0.0.1:PORT --protos DIR --grpc-descriptors FILE --key HEX --chain-id N --contract 0x.. --market M --price P
// Prints one JSON object, one entry per check. Exits 0 whenever it could run the checks.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import grpc from "@grpc/grpc-js";
import protoLoader from "@grpc/proto-loader";
import { Wallet, getBytes, hexlify, keccak256, concat, solidityPackedKeccak256, verifyTypedData } from "ethers";

const { values: args } = parseArgs({
  options: {
    target: { type: "string" },
    protos: { type: "string" },
    "grpc-descriptors": { type: "string" },
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
// grpc.reflection.v1 from a FileDescriptorSet the test writes from the server's own packages.
const reflection = grpc.loadPackageDefinition(protoLoader.loadFileDescriptorSetFromBuffer(fs.readFileSync(args["grpc-descriptors"]), loadOptions)).grpc.reflection.v1;
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
  Bulk: [{ name: "account", type: "address" }, { name: "items", type: "BulkItem[]" }, { name: "nonce", type: "uint64" }],
  BulkItem: [
    { name: "market", type: "uint32" }, { name: "action", type: "uint8" }, { name: "orderId", type: "uint64" },
    { name: "isBuy", type: "bool" }, { name: "price", type: "uint64" }, { name: "size", type: "uint64" },
    { name: "kind", type: "uint8" }, { name: "timeInForce", type: "uint8" }, { name: "reduceOnly", type: "bool" },
    { name: "clientOrderId", type: "uint64" },
  ],
};
const sign = async (primaryType, message, signingDomain = domain) =>
  Buffer.from(getBytes(await wallet.signTypedData(signingDomain, { [primaryType]: types[primaryType] }, message)));
// A bulk is an array of structs: ethers gets both types, as a wallet's eth_signTypedData_v4 would.
const signBulk = async (message) =>
  Buffer.from(getBytes(await wallet.signTypedData(domain, { Bulk: types.Bulk, BulkItem: types.BulkItem }, message)));
const bulkActions = ["BULK_ACTION_PLACE", "BULK_ACTION_CANCEL", "BULK_ACTION_CANCEL_BY_CLIENT_ID", "BULK_ACTION_CANCEL_REPLACE"];
const bulkItem = (fields) => ({
  market, action: 0, orderId: "0", isBuy: false, price: "0", size: "0", kind: 0, timeInForce: 0, reduceOnly: false, clientOrderId: "0", ...fields,
});
const bulkMessage = (bulk) => ({
  account,
  nonce: bulk.nonce,
  items: bulk.items.map((item) => ({
    ...item, action: bulkActions[item.action], kind: item.kind === 0 ? "ORDER_KIND_LIMIT" : "ORDER_KIND_MARKET",
    timeInForce: ["TIME_IN_FORCE_GTC", "TIME_IN_FORCE_IOC", "TIME_IN_FORCE_FOK", "TIME_IN_FORCE_POST_ONLY"][item.timeInForce],
  })),
});
const submitBulk = async (bulk) => call(submission, "Submit", { transaction: { bulk: bulkMessage(bulk), signature: await signBulk(bulk) } });
const bid = (k, clientOrderId) => bulkItem({ isBuy: true, price: String(BigInt(args.price) - 1000n * BigInt(k)), size: "1000000", clientOrderId });
// Subscribe, and once the stream has shown a block (so it is surely live) submit: the block holding the bulk comes
// on the stream with its receipt, one result per item.
const executed = (bulk) =>
  new Promise((resolve, reject) => {
    const blocks = streams.StreamBlocks({}, deadlineIn(15000));
    const seen = new Map(); // every receipt streamed since the submission, by tx hash: the block may beat the ack
    let submitted = false;
    let reply = null;
    const settle = () => {
      const receipt = reply && seen.get(Buffer.from(reply.ack.txHash).toString("hex"));
      if (receipt) {
        blocks.cancel();
        resolve({ reply, receipt });
      }
    };
    blocks.on("data", (block) => {
      if (!submitted) {
        submitted = true;
        submitBulk(bulk).then((r) => {
          reply = r;
          settle();
        }, reject);
        return;
      }
      for (const r of block.receipts) seen.set(Buffer.from(r.txHash).toString("hex"), r);
      settle();
    });
    blocks.on("error", (error) => (error.code === grpc.status.CANCELLED ? null : reject(error)));
  });
const goodBulk = {
  account: wallet.address,
  nonce: "30",
  items: [bid(1, "50"), bulkItem({ action: 1, orderId: "12345" }), bid(2, "51"), bulkItem({ action: 2, clientOrderId: "42" })],
};
const account = Buffer.from(getBytes(wallet.address));

// The ack check of docs/acks.md: the proof leads from (sequence, tx hash) to the root, and the root's EIP-712
// AckRoot signature gives the signer. Returns the signer's address and how many hashes the proof had.
const ackSigner = (ack) => {
  let node = solidityPackedKeccak256(["uint64", "bytes32"], [ack.sequence, hexlify(ack.txHash)]);
  const proof = Buffer.from(ack.proof);
  for (let at = 0; at < proof.length; at += 32) {
    const sibling = hexlify(proof.subarray(at, at + 32));
    node = keccak256(node <= sibling ? concat([node, sibling]) : concat([sibling, node]));
  }
  if (node !== hexlify(ack.root)) {
    throw new Error(`the proof leads to ${node}, not to the root ${hexlify(ack.root)}`);
  }
  const signer = verifyTypedData(domain, { AckRoot: [{ name: "root", type: "bytes32" }] }, { root: node }, hexlify(ack.signature));
  return { signer, proof_hashes: proof.length / 32 };
};

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
    return { sequence: reply.ack.sequence, signature_length: reply.ack.signature.length, ack_signer: ackSigner(reply.ack).signer };
  },
  order: async () => {
    const signature = await sign("Order", order);
    const reply = await call(submission, "Submit", { requestId: "2", transaction: { placeOrder: orderMessage(order), signature } });
    return { sequence: reply.ack.sequence, tx_hash_length: reply.ack.txHash.length, ack_signer: ackSigner(reply.ack).signer };
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
  stream_acks: async () => {
    // 20 margin transfers on one SubmitStream: acks made durable together share a signed tree.
    const count = 20;
    const requests = [];
    for (let i = 0; i < count; i++) {
      const transfer = { account: wallet.address, market, amount: "1", toMarket: true, nonce: String(2 + i) };
      const signature = await sign("TransferMargin", transfer);
      requests.push({ requestId: String(100 + i), transaction: { transferMargin: { ...transfer, account }, signature } });
    }
    return new Promise((resolve, reject) => {
      const stream = submission.SubmitStream(deadlineIn(10000));
      const signers = new Set();
      const proofHashes = [];
      stream.on("data", (response) => {
        if (!response.ack) {
          reject(new Error(`refused: ${JSON.stringify(response.rejection)}`));
          return;
        }
        const { signer, proof_hashes } = ackSigner(response.ack);
        signers.add(signer);
        proofHashes.push(proof_hashes);
        if (proofHashes.length === count) {
          stream.end();
          resolve({ acks: count, signers: [...signers], proof_hashes: proofHashes });
        }
      });
      stream.on("error", reject);
      for (const request of requests) {
        stream.write(request);
      }
    });
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
  bulk: async () => {
    const { reply, receipt } = await executed(goodBulk);
    return {
      ack_signer: ackSigner(reply.ack).signer,
      accepted: receipt.accepted,
      items: receipt.items.map((item) => (item.accepted ? "Accepted" : item.rejection.name)),
    };
  },
  bulk_replay: () => failure(submitBulk(goodBulk)),
  bulk_too_many: () => failure(submitBulk({ account: wallet.address, nonce: "31", items: [...Array(65).keys()].map((k) => bid(k + 3, String(100 + k))) })),
  bulk_other_market: () =>
    failure(submitBulk({ account: wallet.address, nonce: "31", items: [bid(3, "60"), { ...bid(4, "61"), market: market + 1 }] })),
  bulk_duplicate_client_id: () => failure(submitBulk({ account: wallet.address, nonce: "31", items: [bid(3, "60"), bid(4, "60")] })),
  bulk_after_refusals: async () => {
    // None of the refused bulks spent nonce 31 or placed anything.
    const { reply, receipt } = await executed({ account: wallet.address, nonce: "31", items: [bid(5, "70")] });
    return { sequence: reply.ack.sequence, accepted: receipt.accepted };
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
        resolve({ services: response.list_services_response.service.map((s) => s.name).sort() });
        stream.end();
      });
      stream.on("error", reject);
      // Types loaded from descriptors keep the .proto field names (snake_case).
      stream.write({ list_services: "" });
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
