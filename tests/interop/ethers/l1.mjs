// An independent answer key for the L1 client (bridge/Rollup.Bridge/L1, on Nethereum): ethers v6 for the ABI and
// EIP-1559 transactions, solc-js for contract bytecode. Reads one JSON request on stdin, writes one
// JSON answer on stdout.
//   {"op":"abi","cases":[{"types":[..],"values":[..],"ours":"0x.."}]}
//        -> {"results":[{"encoded":"0x..","decoded":[..]}]}   (ethers' encoding of values; ethers' decoding of ours)
//   {"op":"tx","items":[{"key":"0x..","tx":{chainId,nonce,maxPriorityFeePerGas,maxFeePerGas,gasLimit,to,value,data},"raw":"0x.."}]}
//        -> {"results":[{"signed","unsignedHash","parsed":{..}}]} (ethers signing the same tx; ethers parsing our raw)
//   {"op":"createAddress","items":[{"from":"0x..","nonce":"7"}]} -> {"addresses":[..]}
//   {"op":"fragments","items":[{"kind":"function"|"event"|"error","signature":".."}]}
//        -> {"results":[{"canonical":"name(types)","hash":"0x.."}]}  (selector, or topic hash for events)
//   {"op":"compile","source":"..","contract":"Name"}             -> {"bytecode":"0x..","abi":[..]}
//   {"op":"batch","requests":[..]}                                -> {"answers":[..]}
// Numbers cross the boundary as decimal strings, bytes as 0x-hex.
import { AbiCoder, Transaction, Wallet, getCreateAddress, FunctionFragment, EventFragment, ErrorFragment } from "ethers";
import solc from "solc";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const request = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const coder = AbiCoder.defaultAbiCoder();

// ethers' decoded values as plain JSON: bigints as decimal strings, Results as arrays.
function plain(value) {
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return Array.from(value, plain);
  return value;
}

function txFields(tx) {
  return {
    type: 2,
    chainId: BigInt(tx.chainId),
    nonce: Number(tx.nonce),
    maxPriorityFeePerGas: BigInt(tx.maxPriorityFeePerGas),
    maxFeePerGas: BigInt(tx.maxFeePerGas),
    gasLimit: BigInt(tx.gasLimit),
    to: tx.to,
    value: BigInt(tx.value),
    data: tx.data,
    accessList: [],
  };
}

async function answer(request) {
  switch (request.op) {
    case "abi":
      return {
        results: request.cases.map(({ types, values, ours }) => ({
          encoded: coder.encode(types, values),
          decoded: plain(coder.decode(types, ours)),
        })),
      };
    case "tx": {
      const results = [];
      for (const { key, tx, raw } of request.items) {
        const unsigned = Transaction.from(txFields(tx));
        const signed = await new Wallet(key).signTransaction(txFields(tx));
        const parsed = Transaction.from(raw);
        results.push({
          signed,
          unsignedHash: unsigned.unsignedHash,
          parsed: {
            type: parsed.type,
            chainId: parsed.chainId.toString(),
            nonce: parsed.nonce.toString(),
            maxPriorityFeePerGas: parsed.maxPriorityFeePerGas.toString(),
            maxFeePerGas: parsed.maxFeePerGas.toString(),
            gasLimit: parsed.gasLimit.toString(),
            to: parsed.to,
            value: parsed.value.toString(),
            data: parsed.data,
            from: parsed.from,
            hash: parsed.hash,
            yParity: parsed.signature.yParity,
            r: parsed.signature.r,
            s: parsed.signature.s,
          },
        });
      }
      return { results };
    }
    case "createAddress":
      return { addresses: request.items.map(({ from, nonce }) => getCreateAddress({ from, nonce: BigInt(nonce) })) };
    case "fragments":
      return {
        results: request.items.map(({ kind, signature }) => {
          const fragment = { function: FunctionFragment, event: EventFragment, error: ErrorFragment }[kind].from(signature);
          return { canonical: fragment.format("sighash"), hash: kind === "event" ? fragment.topicHash : fragment.selector };
        }),
      };
    case "compile": {
      const input = {
        language: "Solidity",
        sources: { [`${request.contract}.sol`]: { content: request.source } },
        settings: { outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } } },
      };
      const output = JSON.parse(solc.compile(JSON.stringify(input)));
      const errors = (output.errors ?? []).filter((e) => e.severity === "error");
      if (errors.length > 0) throw new Error(errors.map((e) => e.formattedMessage).join("\n"));
      const compiled = output.contracts[`${request.contract}.sol`][request.contract];
      return { bytecode: "0x" + compiled.evm.bytecode.object, abi: compiled.abi, version: solc.version() };
    }
    case "batch": {
      const answers = [];
      for (const r of request.requests) answers.push(await answer(r));
      return { answers };
    }
    default:
      throw new Error(`unknown op ${request.op}`);
  }
}

process.stdout.write(JSON.stringify(await answer(request)));
