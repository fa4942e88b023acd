#!/usr/bin/env node
// Prints the known-answer EIP-712 vectors of test/steps/TransactionEip712.t.sol, computed by ethers'
// TypedDataEncoder and Wallet (not by the contracts): `node bridge/contracts/test/steps/vectors/eip712-vectors.mjs`.
import { createRequire } from 'node:module';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', '..');
const { Wallet, TypedDataEncoder, Signature } = createRequire(join(repoRoot, 'package.json'))('ethers');

const wallet = new Wallet('0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318');
const domain = { name: 'Rollup', version: '1', chainId: 31337, verifyingContract: '0x5FbDB2315678afecb367f032d93F642f64180aa3' };
const marketParams = [
  { name: 'symbol', type: 'string' }, { name: 'tickSize', type: 'uint64' }, { name: 'lotSize', type: 'uint64' },
  { name: 'sizeScale', type: 'uint64' }, { name: 'initialMarginPpm', type: 'uint32' }, { name: 'maintenanceMarginPpm', type: 'uint32' },
  { name: 'makerFeePpm', type: 'uint32' }, { name: 'takerFeePpm', type: 'uint32' }, { name: 'priceBandPpm', type: 'uint32' },
  { name: 'maxOpenOrdersPerAccount', type: 'uint32' }, { name: 'fundingIntervalBlocks', type: 'uint32' },
  { name: 'fundingCapPpm', type: 'uint32' }, { name: 'liquidationFeePpm', type: 'uint32' }, { name: 'haltMovePpm', type: 'uint32' },
  { name: 'haltWindowBlocks', type: 'uint32' }, { name: 'maxBookOrders', type: 'uint32' }, { name: 'maxBookLevels', type: 'uint32' },
  { name: 'oracleSigners', type: 'address[]' },
];
const vectors = [
  {
    name: 'Order',
    types: {
      Order: [
        { name: 'account', type: 'address' }, { name: 'market', type: 'uint32' }, { name: 'isBuy', type: 'bool' },
        { name: 'price', type: 'uint64' }, { name: 'size', type: 'uint64' }, { name: 'kind', type: 'uint8' },
        { name: 'timeInForce', type: 'uint8' }, { name: 'reduceOnly', type: 'bool' }, { name: 'clientOrderId', type: 'uint64' },
        { name: 'nonce', type: 'uint64' },
      ],
    },
    message: {
      account: wallet.address, market: 1, isBuy: true, price: '3000000', size: '25', kind: 1, timeInForce: 1,
      reduceOnly: false, clientOrderId: '18446744073709551615', nonce: '1',
    },
  },
  {
    name: 'CreateMarket',
    types: {
      CreateMarket: [
        { name: 'account', type: 'address' }, { name: 'market', type: 'uint32' }, { name: 'params', type: 'MarketParams' },
        { name: 'nonce', type: 'uint64' },
      ],
      MarketParams: marketParams,
    },
    message: {
      account: wallet.address, market: 3, nonce: '9',
      params: {
        symbol: 'BTC-PERP', tickSize: '10', lotSize: '1', sizeScale: '1000', initialMarginPpm: 100000,
        maintenanceMarginPpm: 50000, makerFeePpm: 200, takerFeePpm: 500, priceBandPpm: 100000, maxOpenOrdersPerAccount: 100,
        fundingIntervalBlocks: 10, fundingCapPpm: 1000, liquidationFeePpm: 10000, haltMovePpm: 100000, haltWindowBlocks: 100,
        maxBookOrders: 10000, maxBookLevels: 1000,
        oracleSigners: ['0x000000000000000000000000000000000000bEEF', '0x000000000000000000000000000000000000cafE'],
      },
    },
  },
  {
    name: 'Bulk',
    types: {
      Bulk: [
        { name: 'account', type: 'address' }, { name: 'items', type: 'BulkItem[]' }, { name: 'nonce', type: 'uint64' },
      ],
      BulkItem: [
        { name: 'market', type: 'uint32' }, { name: 'action', type: 'uint8' }, { name: 'orderId', type: 'uint64' },
        { name: 'isBuy', type: 'bool' }, { name: 'price', type: 'uint64' }, { name: 'size', type: 'uint64' },
        { name: 'kind', type: 'uint8' }, { name: 'timeInForce', type: 'uint8' }, { name: 'reduceOnly', type: 'bool' },
        { name: 'clientOrderId', type: 'uint64' },
      ],
    },
    message: {
      account: wallet.address, nonce: '12',
      items: [
        // a cancel-replace, a place, a cancel by client id: every action's fields and a zero where one carries none
        { market: 5, action: 3, orderId: '7340033', isBuy: false, price: '2990', size: '4', kind: 0, timeInForce: 3, reduceOnly: true, clientOrderId: '77' },
        { market: 5, action: 0, orderId: '0', isBuy: true, price: '2950', size: '6', kind: 0, timeInForce: 0, reduceOnly: false, clientOrderId: '0' },
        { market: 5, action: 2, orderId: '0', isBuy: false, price: '0', size: '0', kind: 0, timeInForce: 0, reduceOnly: false, clientOrderId: '41' },
      ],
    },
  },
];

console.log(`signer ${wallet.address}`);
console.log(`domainSeparator ${TypedDataEncoder.hashDomain(domain)}`);
for (const v of vectors) {
  const digest = TypedDataEncoder.hash(domain, v.types, v.message);
  const sig = Signature.from(await wallet.signTypedData(domain, v.types, v.message));
  console.log(`${v.name} digest ${digest} r ${sig.r} s ${sig.s} v ${sig.v}`);
}
