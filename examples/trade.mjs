// Trades on a running devnet (./scripts/devnet) from Node.js with off-the-shelf libraries:
// @grpc/grpc-js for the wire, ethers for EIP-712 signatures. Moves margin into a market, places a limit
// order a little away from the oracle price, and prints the acknowledgements and the top of the book.
//
//   node examples/trade.mjs [--target 127.0.0.1:50051] [--data-dir .rollup/devnet] [--key 0x...]
//                           [--market 1] [--side buy|sell] [--margin 1000] [--size 0.01]
//
// The key defaults to the devnet's first trader; --margin is in USDC, --size in contracts.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import grpc from "@grpc/grpc-js";
import protoLoader from "@grpc/proto-loader";
import { Wallet, getBytes, hexlify, keccak256, concat, solidityPackedKeccak256, verifyTypedData } from "ethers";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const { values: args } = parseArgs({
  options: {
    target: { type: "string", default: "127.0.0.1:50051" },
    "data-dir": { type: "string", default: path.join(root, ".rollup", "devnet") },
    key: { type: "string", default: "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6" },
    market: { type: "string", default: "1" },
    side: { type: "string", default: "buy" },
    margin: { type: "string", default: "1000" },
    size: { type: "string", default: "0.01" },
  },
});

const devnet = JSON.parse(fs.readFileSync(path.join(args["data-dir"], "devnet.json"), "utf8"));
const protos = path.join(root, "proto", "Rollup.Proto");
const loaded = protoLoader.loadSync(["rollup/v1/submission.proto", "rollup/v1/query.proto"], {
  keepCase: false, longs: String, enums: String, defaults: true, oneofs: true, includeDirs: [protos],
});
const rollup = grpc.loadPackageDefinition(loaded).rollup.v1;
const credentials = grpc.credentials.createInsecure();
const submission = new rollup.Submission(args.target, credentials);
const query = new rollup.Query(args.target, credentials);
const call = (client, name, request) =>
  new Promise((resolve, reject) =>
    client[name](request, { deadline: new Date(Date.now() + 10_000) }, (error, reply) => (error ? reject(error) : resolve(reply))));
const submit = async (transaction) => {
  const reply = await call(submission, "Submit", { transaction });
  if (!reply.ack) {
    throw new Error(`refused: ${JSON.stringify(reply.rejection)}`);
  }
  return reply.ack;
};

const wallet = new Wallet(args.key);
const account = Buffer.from(getBytes(wallet.address));
const market = Number(args.market);
// docs/eip712.md: the Rollup domain names the L2 chain and the settlement contract.
const domain = { name: "Rollup", version: "1", chainId: 31337n, verifyingContract: devnet.Settlement };
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
const sign = async (primaryType, message) =>
  Buffer.from(getBytes(await wallet.signTypedData(domain, { [primaryType]: types[primaryType] }, message)));

// docs/acks.md: an ack's proof leads from (sequence, tx hash) to a root the sequencer signed; this gives the signer,
// to compare with the settlement contract's sequencer().
const ackSigner = (ack) => {
  let node = solidityPackedKeccak256(["uint64", "bytes32"], [ack.sequence, hexlify(ack.txHash)]);
  for (let at = 0; at < ack.proof.length; at += 32) {
    const sibling = hexlify(ack.proof.subarray(at, at + 32));
    node = keccak256(node <= sibling ? concat([node, sibling]) : concat([sibling, node]));
  }
  if (node !== hexlify(ack.root)) throw new Error("the ack's proof does not lead to its root");
  return verifyTypedData(domain, { AckRoot: [{ name: "root", type: "bytes32" }] }, { root: node }, hexlify(ack.signature));
};

const state = await call(query, "GetAccount", { account });
const info = await call(query, "GetMarket", { market });
// Nonces: any unused one above the window; the next after the highest used is the simplest.
let nonce = BigInt(state.highestNonce) + (BigInt(state.usedNonces) === 0n ? 0n : 1n);
const tick = BigInt(info.params.tickSize);
const lot = BigInt(info.params.lotSize);
const scale = BigInt(info.params.sizeScale);
const isBuy = args.side === "buy";
const oracle = BigInt(info.oraclePrice);
const price = ((isBuy ? oracle * 995n : oracle * 1005n) / 1000n / tick) * tick; // 0.5 % from the oracle, on the tick
const size = ((BigInt(Math.round(Number(args.size) * 1e8)) * scale) / 100_000_000n / lot) * lot;
const margin = BigInt(Math.round(Number(args.margin) * 1e6));

const transfer = { account: wallet.address, market, amount: margin.toString(), toMarket: true, nonce: (nonce++).toString() };
const transferAck = await submit({ transferMargin: { ...transfer, account }, signature: await sign("TransferMargin", transfer) });
const order = {
  account: wallet.address, market, isBuy, price: price.toString(), size: size.toString(), kind: 0, timeInForce: 0,
  reduceOnly: false, clientOrderId: Date.now().toString(), nonce: (nonce++).toString(),
};
const orderAck = await submit({
  placeOrder: { ...order, account, kind: "ORDER_KIND_LIMIT", timeInForce: "TIME_IN_FORCE_GTC" },
  signature: await sign("Order", order),
});
// Acknowledged means durable and ordered; the order rests once its block runs (a block every 50 ms).
let book;
for (let i = 0; i < 50; i++) {
  book = await call(query, "GetOrderBook", { market, depth: 3 });
  if ((isBuy ? book.bids : book.asks).some((level) => level.price === order.price)) break;
  await new Promise((resolve) => setTimeout(resolve, 100));
}
console.log(JSON.stringify({
  trader: wallet.address,
  market: info.params.symbol,
  oracle_price: info.oraclePrice,
  transfer_margin: { sequence: transferAck.sequence, ack_signed_by: ackSigner(transferAck) },
  order: {
    side: args.side, price: order.price, size: order.size, client_order_id: order.clientOrderId,
    sequence: orderAck.sequence, ack_signed_by: ackSigner(orderAck),
  },
  book: { bids: book.bids.slice(0, 3), asks: book.asks.slice(0, 3) },
}, null, 2));
