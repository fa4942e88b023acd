#!/usr/bin/env node
// Compiles src/ with the pinned solc-js and writes artifacts/<Contract>.json for the contracts other
// code deploys: {contractName, abi, bytecode, deployedBytecode, compiler}.
//   node bridge/contracts/build.mjs          write the artifacts
//   node bridge/contracts/build.mjs --check  exit 1 if the committed artifacts differ from a fresh compile
import { createRequire } from 'node:module';
import { readFileSync, readdirSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..');
const srcDir = join(here, 'src');
const artifactsDir = join(here, 'artifacts');

const COMPILER_VERSION = '0.8.37';
// Source paths under src/ (without .sol); each artifact is named after its contract.
const DEPLOYED = [
  'RollupSettlement',
  'EscapeHatch',
  'AckSlashing',
  'MockUSDC',
  'steps/AccountsStepVerifier',
  'disputes/DisputeGame',
  'disputes/AccountsOneStepProver',
  'disputes/MarketOneStepProver',
  'steps/markets/MarketStepVerifier',
  'steps/markets/MarketBlockProver',
  'steps/markets/MarketMessageProver',
  'steps/markets/MarketOrderProver',
  'steps/markets/MarketLiquidationProver',
  'steps/markets/MarketBulkProver',
  'steps/markets/MarketBulkPlaceProver',
];
const SETTINGS = {
  optimizer: { enabled: true, runs: 200 },
  evmVersion: 'cancun',
  outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
};

const check = process.argv.includes('--check');
const solc = loadSolc();
const artifacts = compile();

if (check) {
  const problems = compare(artifacts);
  if (problems.length > 0) {
    console.error(`build.mjs --check: the committed artifacts are not what the sources compile to:\n  ${problems.join('\n  ')}`);
    console.error('Run `node bridge/contracts/build.mjs` and commit bridge/contracts/artifacts/.');
    process.exit(1);
  }
  console.log(`artifacts: ${Object.keys(artifacts).length} up to date (solc ${solc.version()})`);
} else {
  mkdirSync(artifactsDir, { recursive: true });
  for (const [file, text] of Object.entries(artifacts)) writeFileSync(join(artifactsDir, file), text);
  console.log(`artifacts: wrote ${Object.keys(artifacts).join(', ')} to ${relative(process.cwd(), artifactsDir) || '.'}`);
}

function loadSolc() {
  const require = createRequire(join(repoRoot, 'package.json'));
  let solc;
  try {
    solc = require('solc');
  } catch (e) {
    fail(`cannot load the npm package solc from ${repoRoot}/node_modules (run scripts/setup): ${e.message}`);
  }
  if (!solc.version().startsWith(`${COMPILER_VERSION}+`)) {
    fail(`solc ${COMPILER_VERSION} is pinned, found ${solc.version()}`);
  }
  return solc;
}

function compile() {
  // Source names relative to this folder keep the bytecode's metadata hash the same on every machine.
  const sources = {};
  for (const file of solidityFiles(srcDir)) {
    sources[`src/${file}`] = { content: readFileSync(join(srcDir, file), 'utf8') };
  }
  const input = { language: 'Solidity', sources, settings: SETTINGS };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImport }));
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
  for (const e of output.errors ?? []) console.error(e.formattedMessage);
  if (errors.length > 0) fail(`${errors.length} compile error(s)`);

  const result = {};
  for (const path of DEPLOYED) {
    const name = path.split('/').pop();
    const contract = output.contracts?.[`src/${path}.sol`]?.[name];
    if (!contract) fail(`src/${path}.sol does not define contract ${name}`);
    const artifact = {
      contractName: name,
      abi: contract.abi,
      bytecode: `0x${contract.evm.bytecode.object}`,
      deployedBytecode: `0x${contract.evm.deployedBytecode.object}`,
      compiler: {
        version: solc.version(),
        optimizer: SETTINGS.optimizer,
        evmVersion: SETTINGS.evmVersion,
      },
    };
    result[`${name}.json`] = `${JSON.stringify(artifact, null, 2)}\n`;
  }
  return result;
}

/** The .sol files under `dir`, as sorted paths relative to it with `/` separators (src/steps/ included). */
function solidityFiles(dir, prefix = '') {
  const files = [];
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...solidityFiles(dir, path));
    else if (entry.name.endsWith('.sol')) files.push(path);
  }
  return files.sort();
}

function findImport(name) {
  const file = join(here, name);
  return existsSync(file) ? { contents: readFileSync(file, 'utf8') } : { error: `not found: ${name}` };
}

function compare(fresh) {
  const problems = [];
  const committed = existsSync(artifactsDir) ? readdirSync(artifactsDir).filter((f) => f.endsWith('.json')) : [];
  for (const [file, text] of Object.entries(fresh)) {
    const path = join(artifactsDir, file);
    if (!existsSync(path)) problems.push(`${file}: missing`);
    else if (readFileSync(path, 'utf8') !== text) problems.push(`${file}: differs`);
  }
  for (const file of committed) if (!(file in fresh)) problems.push(`${file}: no longer built`);
  return problems;
}

function fail(message) {
  console.error(`build.mjs: ${message}`);
  process.exit(1);
}
