// An independent answer key for our primitives, computed by ethers v6 (noble-hashes,
// noble-curves). Reads one JSON request on stdin, writes one JSON answer on stdout.
//   {"op":"keccak","inputs":["0x..",..]}                      -> {"hashes":[..]}
//   {"op":"sign","items":[{"key":"0x..","message":"0x.."}]}   -> {"results":[{address,digest,signature}]}
//   {"op":"typedData","domain":{..},"types":{..},"primaryType":"..","messages":[..],"keys":[..]}
//                                                              -> {"results":[{digest,structHash,signature,signer}]}
//   {"op":"batch","requests":[{..},..]}                       -> {"answers":[{..},..]}  (one node start for many)
import { keccak256, SigningKey, Wallet, TypedDataEncoder, computeAddress } from "ethers";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const request = JSON.parse(Buffer.concat(chunks).toString("utf8"));

function answer(request) {
  switch (request.op) {
    case "keccak":
      return { hashes: request.inputs.map((input) => keccak256(input)) };
    case "sign":
      return {
        results: request.items.map(({ key, message }) => {
          const digest = keccak256(message);
          const signature = new SigningKey(key).sign(digest).serialized; // r ‖ s ‖ v (27/28)
          return { address: computeAddress(key), digest, signature };
        }),
      };
    case "typedData": {
      const types = { ...request.types };
      delete types.EIP712Domain; // ethers derives the domain type from the domain object
      return {
        results: request.messages.map((message, i) => {
          const digest = TypedDataEncoder.hash(request.domain, types, message);
          const structHash = TypedDataEncoder.from(types).hash(message);
          const wallet = request.keys ? new Wallet(request.keys[i]) : null;
          const signature = wallet ? wallet.signingKey.sign(digest).serialized : null;
          return { digest, structHash, signature, signer: wallet ? wallet.address : null };
        }),
      };
    }
    case "batch":
      return { answers: request.requests.map(answer) };
    default:
      throw new Error(`unknown op ${request.op}`);
  }
}

process.stdout.write(JSON.stringify(answer(request)));
