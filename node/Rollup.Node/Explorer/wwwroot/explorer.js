// The explorer page: reads this node's HTTP/JSON API (docs/http-api.md) and follows its streams.
// Plain ES module, no dependencies: fetch for reads, fetch + ReadableStream for the streamed routes.

const COLLATERAL_SCALE = 1_000_000; // USDC has 6 decimals; prices are collateral units per contract
const BLOCKS_SHOWN = 12;
const TRADES_SHOWN = 30;
const BOOK_LEVELS = 12;
const TX_KINDS = ['?', 'Deposit', 'Withdraw', 'TransferMargin', 'PlaceOrder', 'CancelOrder', 'CancelOrderByClientId',
  'CancelAllOrders', 'OracleUpdate', 'CreateMarket', 'SetMarketParams', 'PauseMarket', 'ResumeMarket'];

const state = {
  markets: new Map(), // id -> market message
  selected: null, // market id shown in the market panel
  head: 0,
  blocks: [], // newest first
  trades: [], // of the selected market, newest first
  account: null, // 0x address shown in the account panel
  openBlock: null, // block number whose transactions are shown
};

// ---- formatting ----

const $ = (selector) => document.querySelector(selector);

/** Bytes come base64 in the JSON mapping: 0x-hex for people. */
export function hex(base64) {
  if (!base64) return '';
  const binary = atob(base64);
  let out = '0x';
  for (let i = 0; i < binary.length; i++) out += binary.charCodeAt(i).toString(16).padStart(2, '0');
  return out;
}

function bytes(base64) {
  const binary = atob(base64 || '');
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

const short = (h) => (h.length > 16 ? `${h.slice(0, 8)}…${h.slice(-6)}` : h);

/** An integer count of 1/scale units as a decimal string, exactly (BigInt), trailing zeros dropped. */
export function decimal(value, scale) {
  const v = BigInt(value ?? 0);
  const s = BigInt(scale);
  const negative = v < 0n;
  const abs = negative ? -v : v;
  const whole = abs / s;
  let fraction = (abs % s).toString().padStart(String(scale).length - 1, '0').replace(/0+$/, '');
  if (scale === 1) fraction = '';
  return `${negative ? '-' : ''}${whole.toLocaleString('en-US')}${fraction ? '.' + fraction : ''}`;
}

const price = (p) => decimal(p, COLLATERAL_SCALE);
const usdc = (amount) => decimal(amount, COLLATERAL_SCALE);
const size = (s, market) => decimal(s, Number(state.markets.get(market)?.params?.sizeScale ?? 1));
const halt = (reason) => (reason ?? 'HALT_REASON_NONE').replace(/^HALT_REASON_/, '').toLowerCase();

function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function row(cells, attributes = {}) {
  const tr = document.createElement('tr');
  for (const c of cells) tr.append(c instanceof Node ? c : cell(String(c)));
  for (const [name, value] of Object.entries(attributes)) tr.setAttribute(name, value);
  return tr;
}

function badge(text, className) {
  const span = document.createElement('span');
  span.className = `badge ${className}`;
  span.textContent = text;
  const td = document.createElement('td');
  td.append(span);
  return td;
}

function fill(tbody, rows) {
  tbody.replaceChildren(...rows);
}

// ---- the API ----

async function get(path) {
  const response = await fetch(path, { headers: { accept: 'application/json' } });
  const body = await response.json();
  if (!response.ok) throw new Error(body.message ?? `${response.status} ${path}`);
  return body;
}

/**
 * Follows a streamed route: the response stays open and carries one JSON object per message. Objects are split
 * by their own braces (strings skipped), not by line, so the reader does not depend on separators between them.
 * Reconnects after a second when the stream ends or fails; returns a function that stops it.
 */
function follow(path, onMessage, onState = () => {}) {
  let stopped = false;
  let controller = null;
  const run = async () => {
    while (!stopped) {
      controller = new AbortController();
      try {
        const response = await fetch(path, { signal: controller.signal });
        if (!response.ok) throw new Error(`${response.status} ${path}`);
        onState(true);
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        const splitter = jsonSplitter();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          for (const text of splitter(decoder.decode(value, { stream: true }))) onMessage(JSON.parse(text));
        }
      } catch (error) {
        if (stopped || error.name === 'AbortError') return;
        console.warn(`${path}: ${error.message}; reconnecting`);
      }
      onState(false);
      if (!stopped) await new Promise((resolve) => setTimeout(resolve, 1000)); // retry pace, not synchronisation
    }
  };
  run();
  return () => {
    stopped = true;
    controller?.abort();
  };
}

/** A push parser: feed it text, it yields every complete top-level JSON object so far (text between them is skipped). */
export function jsonSplitter() {
  let current = '';
  let depth = 0;
  let inString = false;
  let escaped = false;
  return function* feed(text) {
    for (const c of text) {
      if (depth === 0 && c !== '{' && c !== '[') continue;
      current += c;
      if (inString) {
        if (escaped) escaped = false;
        else if (c === '\\') escaped = true;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{' || c === '[') depth++;
      else if ((c === '}' || c === ']') && --depth === 0) {
        yield current;
        current = '';
      }
    }
  };
}

// ---- markets ----

async function loadMarkets() {
  const { markets = [] } = await get('/v1/markets');
  for (const m of markets) state.markets.set(m.market, m);
  if (state.selected === null && markets.length > 0) selectMarket(markets[0].market);
  renderMarkets();
}

function renderMarkets() {
  const rows = [...state.markets.values()].map((m) => {
    const nextFunding = m.params.fundingIntervalBlocks ? Number(m.lastFundingBlock) + Number(m.params.fundingIntervalBlocks) : '–';
    const halted = halt(m.haltReason);
    const tr = row([
      cell(m.market, 'num'), cell(m.params.symbol), cell(price(m.oraclePrice), 'num'), cell(price(m.markPrice), 'num'),
      cell(String(m.fundingIndex), 'num'), cell(String(nextFunding), 'num'), badge(halted, halted === 'none' ? 'ok' : 'halted'),
      cell(String(m.restingOrders), 'num'), cell(String(m.positions), 'num'), cell(usdc(m.insuranceFund), 'num'),
    ], { 'data-market': m.market, 'data-symbol': m.params.symbol });
    if (m.market === state.selected) tr.classList.add('selected');
    tr.addEventListener('click', () => selectMarket(m.market));
    return tr;
  });
  fill($('#markets tbody'), rows);
}

let stopTrades = () => {};

function selectMarket(id) {
  if (state.selected === id) return;
  state.selected = id;
  state.trades = [];
  renderTrades();
  renderMarkets();
  stopTrades();
  stopTrades = follow(`/v1/streams/markets/${id}/trades`, (trade) => {
    state.trades.unshift(trade);
    state.trades.length = Math.min(state.trades.length, TRADES_SHOWN);
    renderTrades();
  });
  loadBook().catch(report);
}

async function loadBook() {
  const id = state.selected;
  if (id === null) return;
  const book = await get(`/v1/markets/${id}/book?depth=50`);
  if (id !== state.selected) return;
  const market = state.markets.get(id);
  $('#market-title').textContent = `${id} ${market?.params?.symbol ?? ''}`;
  renderBook(book);
  renderDepth(book, market);
}

function renderBook(book) {
  const bids = book.bids ?? [];
  const asks = book.asks ?? [];
  const rows = [];
  for (let i = 0; i < Math.min(BOOK_LEVELS, Math.max(bids.length, asks.length)); i++) {
    const b = bids[i];
    const a = asks[i];
    const levels = {};
    if (b) levels['data-bid'] = b.price;
    if (a) levels['data-ask'] = a.price;
    rows.push(row([
      cell(b ? size(b.size, book.market) : '', 'num bid'), cell(b ? price(b.price) : '', 'num bid'),
      cell(a ? price(a.price) : '', 'num ask'), cell(a ? size(a.size, book.market) : '', 'num ask'),
    ], levels));
  }
  if (rows.length === 0) rows.push(row([cell('the book is empty', 'note')]));
  fill($('#book tbody'), rows);
}

/** The depth chart: cumulative size per side as a step area, drawn as SVG paths. */
function renderDepth(book, market) {
  const svg = $('#depth');
  const [width, height, pad] = [640, 260, 34];
  const side = (levels) => {
    let total = 0;
    return (levels ?? []).map((l) => ({ price: Number(l.price), total: (total += Number(l.size)) }));
  };
  const bids = side(book.bids);
  const asks = side(book.asks);
  const oracle = Number(market?.oraclePrice ?? 0);
  const parts = [`<line class="axis" x1="${pad}" y1="${height - pad}" x2="${width - 8}" y2="${height - pad}"/>`];
  if (bids.length + asks.length === 0) {
    parts.push(`<text x="${width / 2}" y="${height / 2}" text-anchor="middle">no resting orders</text>`);
    svg.innerHTML = parts.join('');
    return;
  }
  // Centred on the middle of the spread, wide enough for the deepest level shown on either side.
  const bestBid = bids[0]?.price;
  const bestAsk = asks[0]?.price;
  const mid = bestBid !== undefined && bestAsk !== undefined ? (bestBid + bestAsk) / 2 : (bestBid ?? bestAsk);
  const tick = Number(market?.params?.tickSize ?? 1);
  const reach = Math.max(...[...bids, ...asks].map((l) => Math.abs(l.price - mid)), 3 * tick);
  const low = mid - reach * 1.15;
  const high = mid + reach * 1.15;
  const maxTotal = Math.max(...bids.map((l) => l.total), ...asks.map((l) => l.total), 1);
  const x = (p) => pad + ((p - low) / (high - low)) * (width - pad - 8);
  const y = (t) => height - pad - (t / maxTotal) * (height - 2 * pad);
  const area = (levels, cls) => {
    if (levels.length === 0) return '';
    let d = `M${x(levels[0].price)},${y(0)}`;
    let previous = 0;
    for (const l of levels) {
      d += ` L${x(l.price)},${y(previous)} L${x(l.price)},${y(l.total)}`;
      previous = l.total;
    }
    const last = levels[levels.length - 1];
    const edge = cls === 'bids' ? x(low) : x(high);
    d += ` L${edge},${y(last.total)} L${edge},${y(0)} Z`;
    return `<path class="${cls}" d="${d}"/>`;
  };
  parts.push(area(bids, 'bids'), area(asks, 'asks'));
  const onTick = (p) => Math.round(p / tick) * tick;
  parts.push(`<text x="${pad}" y="${height - 12}">${price(onTick(low))}</text>`);
  parts.push(`<text x="${width - 8}" y="${height - 12}" text-anchor="end">${price(onTick(high))}</text>`);
  if (oracle > low && oracle < high) {
    parts.push(`<line class="oracle" x1="${x(oracle)}" y1="${pad / 2}" x2="${x(oracle)}" y2="${height - pad}"/>`);
    parts.push(`<text x="${x(oracle)}" y="${pad / 2 - 4}" text-anchor="middle">oracle ${price(oracle)}</text>`);
  } else if (oracle) {
    parts.push(`<text x="${width - 8}" y="${pad / 2}" text-anchor="end">oracle ${price(oracle)} (off the chart)</text>`);
  }
  parts.push(`<text x="4" y="${pad}">${size(maxTotal, book.market)}</text>`);
  svg.innerHTML = parts.join('');
}

function renderTrades() {
  const rows = state.trades.map((t) => row([
    cell(String(t.blockNumber), 'num'), cell(t.takerIsBuy ? 'buy' : 'sell', t.takerIsBuy ? 'bid' : 'ask'),
    cell(price(t.price), 'num'), cell(size(t.size, t.market), 'num'),
  ], {
    'data-price': t.price, 'data-size': t.size, 'data-block': t.blockNumber,
    title: `taker ${hex(t.taker)} (order ${t.takerOrderId}), maker ${hex(t.maker)} (order ${t.makerOrderId})`,
  }));
  fill($('#trades tbody'), rows);
}

// ---- blocks ----

async function loadBlocks() {
  const root = await get('/v1/state-root');
  showHead(root.blockNumber, hex(root.stateRoot));
  const numbers = [];
  for (let n = root.blockNumber; n >= 1 && numbers.length < BLOCKS_SHOWN; n--) numbers.push(n);
  const blocks = await Promise.all(numbers.map((n) => get(`/v1/blocks/${n}`)));
  for (const b of blocks) addBlock(b);
}

function showHead(number, root) {
  if (number < state.head) return;
  state.head = number;
  $('#head-block').textContent = String(number);
  $('#head-root').textContent = short(root);
  $('#head-root').title = root;
}

function addBlock(block) {
  if (state.blocks.some((b) => b.number === block.number)) return;
  state.blocks.push(block);
  state.blocks.sort((a, b) => b.number - a.number);
  state.blocks.length = Math.min(state.blocks.length, BLOCKS_SHOWN);
  renderBlocks();
}

/** Blocks executed between the first read and the stream's start, or during a reconnect, read by number. */
async function fillBlockGaps() {
  const newest = state.blocks[0]?.number ?? 0;
  const missing = [];
  for (let n = newest; n >= 1 && n > newest - BLOCKS_SHOWN; n--) {
    if (!state.blocks.some((b) => b.number === n)) missing.push(n);
  }
  for (const b of await Promise.all(missing.map((n) => get(`/v1/blocks/${n}`)))) addBlock(b);
}

function renderBlocks() {
  const rows = state.blocks.map((b) => {
    const receipts = b.receipts ?? [];
    const tr = row([
      cell(String(b.number), 'num'), cell(new Date(Number(b.timestamp)).toISOString().slice(11, 23)),
      cell(String((b.transactions ?? []).length), 'num'), cell(String(receipts.filter((r) => r.accepted).length), 'num'),
      cell(short(hex(b.stateRoot)), 'hash'),
    ], { 'data-block': b.number });
    if (b.number === state.openBlock) tr.classList.add('selected');
    tr.addEventListener('click', () => openBlock(b.number));
    return tr;
  });
  fill($('#blocks tbody'), rows);
}

/** A transaction's kind, account and (where the layout puts them) market, side, price and size: docs/transactions.md. */
function describeTransaction(encoded) {
  const b = bytes(encoded);
  const view = new DataView(b.buffer);
  const kind = TX_KINDS[b[0]] ?? `kind ${b[0]}`;
  const account = b.length >= 21 ? short(hex(btoa(String.fromCharCode(...b.subarray(1, 21))))) : '';
  let detail = '';
  let market = null; // set for orders, whose receipt sizes are in the market's units
  if (b[0] === 4 && b.length >= 42) {
    market = view.getUint32(21);
    detail = `market ${market} ${b[25] ? 'buy' : 'sell'} ${size(view.getBigUint64(34), market)} @ ${price(view.getBigUint64(26))}`;
  } else if (b[0] === 8 && b.length >= 33) {
    detail = `market ${view.getUint32(21)} price ${price(view.getBigUint64(25))}`;
  }
  return { kind, account, detail, market };
}

async function openBlock(number) {
  state.openBlock = number;
  renderBlocks();
  const block = state.blocks.find((b) => b.number === number) ?? (await get(`/v1/blocks/${number}`));
  const table = document.createElement('table');
  table.innerHTML = '<thead><tr><th class="num">#</th><th>kind</th><th>account</th><th>what</th><th>receipt</th><th class="num">order</th><th class="num">filled</th><th class="num">resting</th><th>tx hash</th></tr></thead>';
  const tbody = document.createElement('tbody');
  (block.transactions ?? []).forEach((tx, i) => {
    const r = (block.receipts ?? [])[i] ?? {};
    const d = tx.encoded ? describeTransaction(tx.encoded) : { kind: Object.keys(tx)[0], account: '', detail: '' };
    const verdict = r.accepted ? 'accepted' : (r.rejection?.name ?? 'rejected');
    tbody.append(row([
      cell(String(i), 'num'), cell(d.kind), cell(d.account, 'hash'), cell(d.detail), cell(verdict, r.accepted ? 'bid' : 'ask'),
      cell(String(r.orderId ?? 0), 'num'), cell(d.market ? size(r.filledSize ?? 0, d.market) : String(r.filledSize ?? 0), 'num'),
      cell(d.market ? size(r.restingSize ?? 0, d.market) : String(r.restingSize ?? 0), 'num'),
      cell(short(hex(r.txHash)), 'hash'),
    ]));
  });
  table.append(tbody);
  const detail = $('#block-detail');
  const title = document.createElement('h3');
  title.textContent = `Block ${number}: ${(block.transactions ?? []).length} transactions and their receipts`;
  detail.replaceChildren(title, table);
  detail.hidden = false;
}

// ---- batches ----

async function loadBatches() {
  const answer = await get('/v1/batches?limit=12');
  const note = $('#batches-note');
  if (!answer.l1) {
    note.textContent = 'this node has no L1 (no Node:L1Rpc): it posts no batches';
    fill($('#batches tbody'), []);
    return;
  }
  note.textContent = `L1 head ${answer.l1Head}: ${answer.committedBatches} batches committed, ${answer.finalBatches} final`;
  const rows = (answer.batches ?? []).map((b) => {
    const status = (b.status ?? '').replace(/^BATCH_STATUS_/, '').toLowerCase();
    const posted = status === 'posted';
    return row([
      cell(String(b.index), 'num'), badge(status, status),
      cell(posted ? `${b.parts} part(s) posted` : `${b.firstBlock}–${b.lastBlock}`, 'num'), cell(posted ? '' : String(b.txCount), 'num'),
      cell(posted ? '' : String(b.l1Block), 'num'), cell(posted ? '' : short(hex(b.l1TxHash)), 'hash'),
    ], { 'data-batch': b.index, 'data-status': status });
  });
  fill($('#batches tbody'), rows);
}

// ---- account ----

async function loadAccount() {
  const address = state.account;
  if (!address) return;
  const section = $('#account-section');
  section.hidden = false;
  $('#account-title').textContent = address;
  const error = $('#account-error');
  try {
    const account = await get(`/v1/accounts/${address}`);
    const orders = await Promise.all([...state.markets.keys()].map((m) => get(`/v1/accounts/${address}/orders?market=${m}`)));
    if (address !== state.account) return;
    error.hidden = true;
    const facts = $('#account-facts');
    facts.replaceChildren();
    for (const [name, value] of [['free balance', `${usdc(account.freeBalance)} USDC`], ['highest nonce', String(account.highestNonce)], ['at block', String(account.blockNumber)]]) {
      const dt = document.createElement('dt');
      dt.textContent = name;
      const dd = document.createElement('dd');
      dd.textContent = value;
      facts.append(dt, dd);
    }
    fill($('#positions tbody'), (account.positions ?? []).map((p) => row([
      cell(`${p.market} ${state.markets.get(p.market)?.params?.symbol ?? ''}`), cell(size(p.size, p.market), `num ${p.size >= 0 ? 'bid' : 'ask'}`),
      cell(usdc(p.collateral), 'num'), cell(usdc(p.equity), 'num'), cell(String(p.openOrders), 'num'),
    ])));
    fill($('#orders tbody'), orders.flatMap((o) => o.orders ?? []).map((o) => row([
      cell(String(o.market)), cell(String(o.orderId), 'num'), cell(o.isBuy ? 'buy' : 'sell', o.isBuy ? 'bid' : 'ask'),
      cell(price(o.price), 'num'), cell(size(o.remainingSize, o.market), 'num'), cell(String(o.clientOrderId), 'num'),
    ])));
  } catch (e) {
    error.textContent = e.message;
    error.hidden = false;
    fill($('#positions tbody'), []);
    fill($('#orders tbody'), []);
  }
}

/** Links into the page: #account=0x… shows an account, #block=N a block's transactions and receipts. */
function showFromHash() {
  const account = /^#account=(0x[0-9a-fA-F]{40})$/.exec(location.hash);
  if (account) {
    state.account = account[1];
    $('#account-input').value = account[1];
    loadAccount().catch(report);
  }
  const block = /^#block=(\d+)$/.exec(location.hash);
  if (block) openBlock(Number(block[1])).catch(report);
}

// ---- wiring ----

/** Refreshes at most once per `ms`, however many blocks arrive: the streams can be faster than a person reads. */
function throttled(ms, work) {
  let pending = false;
  let last = 0;
  return () => {
    if (pending) return;
    pending = true;
    setTimeout(async () => {
      last = Date.now();
      try { await work(); } catch (e) { report(e); }
      pending = false;
    }, Math.max(0, last + ms - Date.now()));
  };
}

function report(error) {
  // Shown on the page; a failed read (node restarting) is not a page fault.
  $('#live').textContent = `error: ${error.message}`;
  $('#live').className = 'status-off';
}

const refreshState = throttled(1000, async () => {
  await loadMarkets();
  await loadBook();
  await loadAccount();
});
const refreshBatches = throttled(3000, loadBatches);
const refreshBlocks = throttled(1000, fillBlockGaps);

async function start() {
  $('#account-search').addEventListener('submit', (event) => {
    event.preventDefault();
    const value = $('#account-input').value.trim();
    location.hash = `account=${value.startsWith('0x') ? value : '0x' + value}`;
  });
  window.addEventListener('hashchange', showFromHash);
  await loadMarkets();
  await loadBlocks();
  await loadBatches();
  showFromHash();
  follow('/v1/streams/blocks', (block) => {
    showHead(block.number, hex(block.stateRoot));
    addBlock(block);
    refreshBlocks();
    refreshState();
    refreshBatches();
  }, (live) => {
    $('#live').textContent = live ? 'following blocks' : 'reconnecting';
    $('#live').className = live ? 'status-on' : 'status-off';
  });
  setInterval(refreshBatches, 5000); // batches move with L1, also when no L2 block comes
  document.body.dataset.ready = 'true';
}

start().catch(report);
