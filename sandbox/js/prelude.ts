/**
 * The code that runs inside every isolate context before the candidate's code: console, the
 * `assert` module, stdin helpers, virtual timers, and the harness the host drives.
 *
 * It is a string because it runs in another realm; it is compiled once per isolate. Its one
 * contact with the host is `send(kind, text)`, an ignored (fire-and-forget) ivm Callback that
 * copies two strings out. Nothing else of the host's is ever placed in the context.
 *
 * Rules for the code below, because the candidate's code shares the realm and may replace any
 * global or prototype method after the prelude has run:
 * - every built-in the harness needs later is captured into a closure at install time and called
 *   through `apply`, never looked up again on a prototype;
 * - no array spread, `for…of` or array destructuring in harness paths (they use the iterator
 *   protocol, which candidates can poison); strings are built by concatenation;
 * - results leave as one string in a prefix code (see ResultCode in JsRun.ts), so there is no
 *   object for a poisoned `toJSON` or getter to forge;
 * - the install function and everything it defines run in strict mode, so `fn.caller` never
 *   reveals a harness function.
 * Tampering can only ever spoil the candidate's own results, which the host judges anyway.
 *
 * Host → isolate: `install(send, settingsJson)` returns `harness(op, arg)`:
 *   find          look up the solution function          → 'D' | 'X' + message
 *   call, argsJson   call it with the test's arguments    → result code
 *   poll          after 'P': settle, or run one timer    → result code
 *   drive         stdio: feed stdin to readline, close   → result code
 * Isolate → host: send('o' stdout | 'e' stderr | 'a' assertion failure | 'x' overflow, text).
 */

/** File name the prelude is compiled under; stack frames from it are hidden from candidates. */
export const preludeFilename = '<tandem>'

/** Settings handed to `install` as JSON. */
export interface PreludeSettings {
  /** Name of the solution function (function-style problems); null for stdio problems. */
  fn: string | null
  /** Stdio problems: the test's stdin. Enables `input`, `readline()`, `print`, fs and readline. */
  stdin: string | null
  /** Console characters the isolate may send before it stops sending and reports overflow. */
  outputCap: number
  /** Largest return value, as JSON characters, that is sent back to be judged. */
  resultCap: number
  /** Paths of the candidate's other files, relative to the solution (see moduleFiles.ts). */
  modules: string[]
  /** Global name of this run's module registrar; removed once every module has registered. */
  moduleKey: string
}

export const preludeSource = String.raw`(function install(send, settingsJson) {
'use strict';
// ---- Built-ins captured before any candidate code runs ------------------------------------
const G = globalThis;
const apply = Reflect.apply;
const defineProperty = Object.defineProperty;
const getPrototypeOf = Object.getPrototypeOf;
const objectKeys = Object.keys;
const objectIs = Object.is;
const hasOwn = Object.hasOwn;
const isArray = Array.isArray;
const isView = ArrayBuffer.isView;
const jsonParse = JSON.parse;
const jsonStringify = JSON.stringify;
const indirectEval = G.eval;
const StringCtor = String;
const NumberCtor = Number;
const MathMax = Math.max;
const MathFloor = Math.floor;
const DateNow = Date.now;
const ErrorCtor = Error;
const TypeErrorCtor = TypeError;
const PromiseCtor = Promise;
const MapCtor = Map;
const strSlice = String.prototype.slice;
const strIndexOf = String.prototype.indexOf;
const strLastIndexOf = String.prototype.lastIndexOf;
const strCharAt = String.prototype.charAt;
const strReplace = String.prototype.replace;
const strTest = RegExp.prototype.test;
const strRepeat = String.prototype.repeat;
const fnToString = Function.prototype.toString;
const objToString = Object.prototype.toString;
const symbolToString = Symbol.prototype.toString;
const bigintToString = BigInt.prototype.toString;
const dateToISOString = Date.prototype.toISOString;
const dateGetTime = Date.prototype.getTime;
const regexpToString = RegExp.prototype.toString;
const regexpSource = Object.getOwnPropertyDescriptor(RegExp.prototype, 'source').get;
const regexpFlags = Object.getOwnPropertyDescriptor(RegExp.prototype, 'flags').get;
const mapSize = Object.getOwnPropertyDescriptor(Map.prototype, 'size').get;
const mapForEach = Map.prototype.forEach;
const mapGet = Map.prototype.get;
const mapHas = Map.prototype.has;
const mapSet = Map.prototype.set;
const mapDelete = Map.prototype.delete;
const setSize = Object.getOwnPropertyDescriptor(Set.prototype, 'size').get;
const setForEach = Set.prototype.forEach;
const setHas = Set.prototype.has;
const typedLength = Object.getOwnPropertyDescriptor(getPrototypeOf(Uint8Array.prototype), 'length').get;
const promiseThen = Promise.prototype.then;
const promiseResolve = Promise.resolve;
const identifierPattern = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const preludeName = ${JSON.stringify(preludeFilename)};
const newlinePattern = /\n/g;

const settings = jsonParse(settingsJson);
const call = (fn, self, ...args) => apply(fn, self, args);
const slice = (s, a, b) => apply(strSlice, s, [a, b]);
const define = (target, key, value) =>
  defineProperty(target, key, { value, writable: true, configurable: true, enumerable: false });
// A fresh array element without [[Set]], so a setter on Array.prototype cannot intercept it.
const put = (list, value) =>
  defineProperty(list, list.length, { value, writable: true, configurable: true, enumerable: true });

// Globals that schedule work outside any call (and so could act in a later run sharing the
// isolate) or widen the attack surface; interview code does not need them.
delete G.FinalizationRegistry;
delete G.WebAssembly;
delete G.SharedArrayBuffer;
delete G.Atomics;

// Symbol.for's registry belongs to the isolate, not this context, and its symbols are never
// collected: a run could fill it and leave the next run in the same pooled isolate short of
// memory (tests/box/noStateCrossesRuns.test.ts). Each run gets a registry of its own.
const SymbolCtor = Symbol;
const registered = new MapCtor();
const registeredKeys = new MapCtor();
const symbolRegistry = {
  for(key) {
    const name = StringCtor(key);
    let symbol = apply(mapGet, registered, [name]);
    if (symbol === undefined) {
      symbol = SymbolCtor(name);
      apply(mapSet, registered, [name, symbol]);
      apply(mapSet, registeredKeys, [symbol, name]);
    }
    return symbol;
  },
  keyFor(symbol) {
    if (typeof symbol !== 'symbol') throw new TypeErrorCtor(StringCtor(symbol) + ' is not a symbol');
    return apply(mapGet, registeredKeys, [symbol]);
  },
};
define(SymbolCtor, 'for', symbolRegistry.for);
define(SymbolCtor, 'keyFor', symbolRegistry.keyFor);

// ---- Console output, capped inside the isolate as well as on the host ---------------------
let outputLeft = settings.outputCap;
let overflowed = false;
const emit = (kind, text) => {
  if (overflowed) return;
  if (text.length > outputLeft) {
    overflowed = true;
    send(kind, slice(text, 0, outputLeft));
    send('x', '');
    return;
  }
  outputLeft -= text.length;
  send(kind, text);
};

const quote = (s) => "'" + apply(strReplace, s, [/['\\\n]/g, (c) => (c === '\n' ? '\\n' : '\\' + c)]) + "'";
const brand = (value) => apply(objToString, value, []);
const tryCall = (fn, self) => {
  try { apply(fn, self, []); return true; } catch { return false; }
};
const functionLabel = (fn) => {
  let source = '';
  try { source = apply(fnToString, fn, []); } catch {}
  let name = '';
  try { name = typeof fn.name === 'string' ? fn.name : ''; } catch {}
  if (apply(strTest, /^class[\s{]/, [source])) return '[class ' + (name || '(anonymous)') + ']';
  return name ? '[Function: ' + name + ']' : '[Function (anonymous)]';
};
const keyLabel = (key) => (apply(strTest, identifierPattern, [key]) ? key : quote(key));

// Node-like, single-line rendering of console arguments. Candidate getters and proxies run
// here, inside the candidate's own time budget, and any error they throw is shown, not raised.
const inspect = (value, depth, parents) => {
  switch (typeof value) {
    case 'string': return depth === 0 ? value : quote(value);
    case 'number': return objectIs(value, -0) ? '-0' : StringCtor(value);
    case 'bigint': return apply(bigintToString, value, []) + 'n';
    case 'boolean': return value ? 'true' : 'false';
    case 'undefined': return 'undefined';
    case 'symbol': return apply(symbolToString, value, []);
    case 'function': return functionLabel(value);
  }
  if (value === null) return 'null';
  for (let p = parents; p !== null; p = p.up) if (p.value === value) return '[Circular]';
  const here = { value, up: parents };
  try {
    if (tryCall(dateGetTime, value)) {
      const time = apply(dateGetTime, value, []);
      return time === time ? apply(dateToISOString, value, []) : 'Invalid Date';
    }
    if (tryCall(regexpSource, value) && value !== RegExp.prototype) return apply(regexpToString, value, []);
    if (brand(value) === '[object Error]') return errorText(value);
    if (depth > 2) return isArray(value) ? '[Array]' : '[Object]';
    if (isArray(value)) {
      const n = value.length;
      if (n === 0) return '[]';
      let out = '';
      const shown = n > 100 ? 100 : n;
      for (let i = 0; i < shown; i++) {
        out += (i ? ', ' : '') + (hasOwn(value, i) ? inspect(value[i], depth + 1, here) : '<empty>');
      }
      if (n > shown) out += ', ... ' + (n - shown) + ' more items';
      return '[ ' + out + ' ]';
    }
    if (tryCall(mapSize, value)) {
      let out = '';
      apply(mapForEach, value, [(v, k) => {
        out += (out ? ', ' : '') + inspect(k, depth + 1, here) + ' => ' + inspect(v, depth + 1, here);
      }]);
      return 'Map(' + apply(mapSize, value, []) + ') {' + (out ? ' ' + out + ' ' : '') + '}';
    }
    if (tryCall(setSize, value)) {
      let out = '';
      apply(setForEach, value, [(v) => { out += (out ? ', ' : '') + inspect(v, depth + 1, here); }]);
      return 'Set(' + apply(setSize, value, []) + ') {' + (out ? ' ' + out + ' ' : '') + '}';
    }
    if (isView(value) && tryCall(typedLength, value)) {
      const n = apply(typedLength, value, []);
      let out = '';
      for (let i = 0; i < n && i < 100; i++) out += (i ? ', ' : '') + inspect(value[i], depth + 1, here);
      if (n > 100) out += ', ... ' + (n - 100) + ' more items';
      return slice(brand(value), 8, -1) + '(' + n + ') [' + (out ? ' ' + out + ' ' : '') + ']';
    }
    if (brand(value) === '[object Promise]') return 'Promise { <pending or settled> }';
    const proto = getPrototypeOf(value);
    let prefix = '';
    if (proto === null) prefix = '[Object: null prototype] ';
    else {
      let ctorName = '';
      try { const ctor = proto.constructor; ctorName = typeof ctor === 'function' ? ctor.name : ''; } catch {}
      if (ctorName && ctorName !== 'Object') prefix = ctorName + ' ';
    }
    const keys = objectKeys(value);
    if (keys.length === 0) return prefix + '{}';
    let out = '';
    for (let i = 0; i < keys.length; i++) {
      out += (i ? ', ' : '') + keyLabel(keys[i]) + ': ' + inspect(value[keys[i]], depth + 1, here);
    }
    return prefix + '{ ' + out + ' }';
  } catch (error) {
    return '[value could not be shown: ' + errorText(error) + ']';
  }
};

const errorText = (error) => {
  try {
    const stack = error.stack;
    if (typeof stack === 'string' && stack) return stack;
    return StringCtor(error.name) + ': ' + StringCtor(error.message);
  } catch {
    return '[error could not be shown]';
  }
};

// console.log('%s is %d', 'x', 1) as Node does it, then the remaining arguments.
const format = (args) => {
  let out = '';
  let first = 0;
  if (typeof args[0] === 'string' && apply(strIndexOf, args[0], ['%']) !== -1 && args.length > 1) {
    const pattern = args[0];
    let next = 1;
    first = 1;
    for (let i = 0; i < pattern.length; i++) {
      const c = apply(strCharAt, pattern, [i]);
      const d = apply(strCharAt, pattern, [i + 1]);
      if (c !== '%' || d === '') { out += c; continue; }
      if (d === '%') { out += '%'; i++; continue; }
      if (next >= args.length || apply(strIndexOf, 'sdifjoOc', [d]) === -1) { out += c; continue; }
      const arg = args[next++];
      i++;
      if (d === 's') out += typeof arg === 'string' ? arg : inspect(arg, 1, null);
      else if (d === 'd' || d === 'i') {
        const n = typeof arg === 'bigint' ? arg : NumberCtor(arg);
        out += typeof n === 'bigint' ? apply(bigintToString, n, []) + 'n' : StringCtor(d === 'i' ? (n < 0 ? -MathFloor(-n) : MathFloor(n)) : n);
      } else if (d === 'f') out += StringCtor(NumberCtor(arg));
      else if (d === 'j') { try { out += jsonStringify(arg); } catch { out += '[Circular]'; } }
      else if (d === 'c') {}
      else out += inspect(arg, 1, null);
    }
    first = next;
  }
  for (let i = first; i < args.length; i++) out += (out || i > first ? ' ' : '') + inspect(args[i], 0, null);
  return out;
};

let indent = '';
const line = (kind, args) => {
  let text = format(args);
  if (indent) text = indent + apply(strReplace, text, [newlinePattern, '\n' + indent]);
  emit(kind, text + '\n');
};
const counts = new MapCtor();
const timers = new MapCtor();
const label = (value) => (value === undefined ? 'default' : StringCtor(value));
const timing = (name, keep, args) => {
  const key = label(name);
  if (!apply(mapHas, timers, [key])) { line('e', ["Warning: No such label '" + key + "'"]); return; }
  const ms = DateNow() - apply(mapGet, timers, [key]);
  if (!keep) apply(mapDelete, timers, [key]);
  line('o', [key + ': ' + ms + 'ms' + (args.length ? ' ' + format(args) : '')]);
};
const assertFailed = (args) => {
  const text = args.length === 0 ? 'Assertion failed' : 'Assertion failed: ' + format(args);
  emit('e', text + '\n');
  if (!overflowed) send('a', text);
};

const consoleObject = {
  log(...args) { line('o', args); },
  info(...args) { line('o', args); },
  debug(...args) { line('o', args); },
  dir(value) { line('o', [value]); },
  table(...args) { line('o', args); },
  warn(...args) { line('e', args); },
  error(...args) { line('e', args); },
  trace(...args) {
    let stack = '';
    try { stack = new ErrorCtor().stack; } catch {}
    // The frames below the header, without the prelude's own.
    let frames = '';
    let start = typeof stack === 'string' ? apply(strIndexOf, stack, ['\n']) : -1;
    while (start !== -1) {
      const end = apply(strIndexOf, stack, ['\n', start + 1]);
      const frame = slice(stack, start, end === -1 ? undefined : end);
      if (apply(strIndexOf, frame, [preludeName]) === -1) frames += frame;
      start = end;
    }
    line('e', ['Trace' + (args.length ? ': ' + format(args) : '') + frames]);
  },
  // console.assert prints *and* fails the test: code checked with console.assert must not pass
  // just because Node's console.assert only prints.
  assert(condition, ...args) { if (!condition) assertFailed(args); },
  count(name) {
    const key = label(name);
    const n = (apply(mapHas, counts, [key]) ? apply(mapGet, counts, [key]) : 0) + 1;
    apply(mapSet, counts, [key, n]);
    line('o', [key + ': ' + n]);
  },
  countReset(name) { apply(mapDelete, counts, [label(name)]); },
  time(name) { apply(mapSet, timers, [label(name), DateNow()]); },
  timeLog(name, ...args) { timing(name, true, args); },
  timeEnd(name) { timing(name, false, []); },
  group(...args) { if (args.length) line('o', args); indent += '  '; },
  groupCollapsed(...args) { if (args.length) line('o', args); indent += '  '; },
  groupEnd() { indent = slice(indent, 2); },
};
define(G, 'console', consoleObject);

// ---- Virtual timers: time advances only when nothing else is left to run -------------------
let clock = 0;
let timerSeq = 0;
const pendingTimers = new MapCtor();
const addTimer = (fn, delay, args, repeat) => {
  if (typeof fn !== 'function') throw new TypeErrorCtor('The "callback" argument must be of type function');
  let ms = NumberCtor(delay);
  if (!(ms >= 1 && ms <= 2147483647)) ms = 1;
  const id = ++timerSeq;
  apply(mapSet, pendingTimers, [id, { fn, args, due: clock + ms, repeat: repeat ? ms : 0 }]);
  return id;
};
const clearTimer = (id) => { apply(mapDelete, pendingTimers, [NumberCtor(id)]); };
define(G, 'setTimeout', function setTimeout(fn, delay, ...args) { return addTimer(fn, delay, args, false); });
define(G, 'setInterval', function setInterval(fn, delay, ...args) { return addTimer(fn, delay, args, true); });
define(G, 'setImmediate', function setImmediate(fn, ...args) { return addTimer(fn, 0, args, false); });
define(G, 'clearTimeout', function clearTimeout(id) { clearTimer(id); });
define(G, 'clearInterval', function clearInterval(id) { clearTimer(id); });
define(G, 'clearImmediate', function clearImmediate(id) { clearTimer(id); });
const queueMicrotaskFn = function queueMicrotask(fn) {
  if (typeof fn !== 'function') throw new TypeErrorCtor('The "callback" argument must be of type function');
  apply(promiseThen, apply(promiseResolve, PromiseCtor, []), [() => { fn(); }]);
};
define(G, 'queueMicrotask', queueMicrotaskFn);
// Runs the earliest timer; false when none is left. An error it throws is the caller's to report.
const runNextTimer = () => {
  let nextId = 0;
  let next = null;
  apply(mapForEach, pendingTimers, [(timer, id) => {
    if (next === null || timer.due < next.due) { next = timer; nextId = id; }
  }]);
  if (next === null) return false;
  clock = MathMax(clock, next.due);
  if (next.repeat) next.due = clock + next.repeat;
  else apply(mapDelete, pendingTimers, [nextId]);
  apply(next.fn, undefined, next.args);
  return true;
};

// ---- Modules: only a CommonJS shell and a few built-ins ------------------------------------
const moduleObject = { exports: {} };
const originalExports = moduleObject.exports;
define(G, 'module', moduleObject);
define(G, 'exports', originalExports);

let assertModule = null;
const stdin = settings.stdin;
let stdinLines = null;
let stdinCursor = 0;
const lines = () => {
  if (stdinLines === null) {
    stdinLines = [];
    let start = 0;
    const text = stdin === null ? '' : stdin;
    for (;;) {
      const end = apply(strIndexOf, text, ['\n', start]);
      if (end === -1) { if (start < text.length) put(stdinLines, slice(text, start)); break; }
      put(stdinLines, slice(text, start, end));
      start = end + 1;
    }
  }
  return stdinLines;
};
const nextLine = () => {
  const all = lines();
  return stdinCursor < all.length ? all[stdinCursor++] : undefined;
};
const interfaces = [];
const fsModule = {
  readFileSync(file, options) {
    if (file === 0 || file === '/dev/stdin') return stdin === null ? '' : stdin;
    const error = new ErrorCtor("ENOENT: no such file or directory, open '" + StringCtor(file) + "' (the sandbox has no files; only stdin can be read)");
    error.code = 'ENOENT';
    throw error;
  },
};
const readlineModule = {
  createInterface() {
    const listeners = { line: [], close: [] };
    let closed = false;
    const rl = {
      on(event, fn) { if (event === 'line' || event === 'close') put(listeners[event], fn); return rl; },
      once(event, fn) { return rl.on(event, fn); },
      close() { closed = true; },
      setPrompt() {},
      prompt() {},
      [Symbol.asyncIterator]() {
        return { next: () => { const value = nextLine(); return apply(promiseResolve, PromiseCtor, [value === undefined ? { done: true, value } : { done: false, value }]); }, [Symbol.asyncIterator]() { return this; } };
      },
    };
    put(interfaces, { listeners, isClosed: () => closed });
    return rl;
  },
};
// ---- The candidate's other files, as CommonJS modules ----------------------------------------
// The host runs one script per file right after this install, before any candidate code; each
// hands its module's function to the registrar under a name drawn for this run, and the
// registrar deletes itself once the last has arrived. Modules are evaluated on first require,
// once, and a cycle sees the exports filled so far, as in Node.
const moduleFactories = new MapCtor();
const moduleRecords = new MapCtor();
const moduleCount = settings.modules.length;
if (moduleCount > 0) {
  define(G, settings.moduleKey, function registerModule(path, factory) {
    apply(mapSet, moduleFactories, [StringCtor(path), factory]);
    if (apply(mapSize, moduleFactories, []) >= moduleCount) delete G[settings.moduleKey];
  });
}
// Adds a path's segments to 'parts', resolving '.' and '..'; false when '..' leaves the root.
const addSegments = (parts, text) => {
  let start = 0;
  for (;;) {
    const end = apply(strIndexOf, text, ['/', start]);
    const part = end === -1 ? slice(text, start) : slice(text, start, end);
    if (part === '..') {
      if (parts.length === 0) return false;
      parts.length = parts.length - 1;
    } else if (part !== '.' && part !== '') {
      put(parts, part);
    }
    if (end === -1) return true;
    start = end + 1;
  }
};
const moduleSuffixes = ['', '.js', '.ts', '.json', '.cjs', '.mjs', '/index.js', '/index.ts'];
const resolveModule = (folder, id) => {
  const parts = [];
  if ((folder !== '' && !addSegments(parts, folder)) || !addSegments(parts, id)) return undefined;
  let base = '';
  for (let i = 0; i < parts.length; i++) base = i === 0 ? parts[i] : base + '/' + parts[i];
  for (let i = 0; i < moduleSuffixes.length; i++) {
    const path = base + moduleSuffixes[i];
    if (apply(mapHas, moduleFactories, [path])) return path;
  }
  return undefined;
};
const folderOfPath = (path) => {
  const at = apply(strLastIndexOf, path, ['/']);
  return at === -1 ? '' : slice(path, 0, at);
};
const loadModule = (path) => {
  const known = apply(mapGet, moduleRecords, [path]);
  if (known !== undefined) return known.exports;
  const record = { exports: {} };
  apply(mapSet, moduleRecords, [path, record]);
  const folder = folderOfPath(path);
  apply(apply(mapGet, moduleFactories, [path]), record.exports, [record.exports, makeRequire(folder), record, path, folder]);
  return record.exports;
};
const isRelative = (id) => slice(id, 0, 2) === './' || slice(id, 0, 3) === '../';
const makeRequire = (folder) => function require(name) {
  const id = StringCtor(name);
  if (isRelative(id)) {
    const path = resolveModule(folder, id);
    if (path !== undefined) return loadModule(path);
    const missing = new ErrorCtor("Cannot find module '" + id + "'" + (folder === '' ? '' : " from '" + folder + "'") + ': there is no such file beside the solution');
    missing.code = 'MODULE_NOT_FOUND';
    throw missing;
  }
  if (id === 'assert' || id === 'node:assert') return makeAssert(false);
  if (id === 'assert/strict' || id === 'node:assert/strict') return makeAssert(true).strict;
  if (stdin !== null && (id === 'fs' || id === 'node:fs')) return fsModule;
  if (stdin !== null && (id === 'readline' || id === 'node:readline')) return readlineModule;
  const error = new ErrorCtor("Cannot find module '" + id + "': the sandbox has no modules except 'assert'" + (stdin !== null ? ", 'fs' (stdin only) and 'readline'" : '') + ', and the files beside the solution');
  error.code = 'MODULE_NOT_FOUND';
  throw error;
};
define(G, 'require', makeRequire(''));
// The usual Node idiom for stdin (process.stdin 'data' then 'end', process.stdout.write), and
// process.exit, which ends the program: the host reads its message (see exitOutcome in JsRun).
const stdinListeners = { data: [], end: [] };
const stdinStream = {
  fd: 0,
  on(event, fn) { if (event === 'data' || event === 'end') put(stdinListeners[event], fn); return stdinStream; },
  once(event, fn) { return stdinStream.on(event, fn); },
  resume() { return stdinStream; },
  pause() { return stdinStream; },
  setEncoding() { return stdinStream; },
  [Symbol.asyncIterator]() {
    let done = stdin === null || stdin === '';
    return {
      next: () => {
        const result = done ? { done: true, value: undefined } : { done: false, value: stdin };
        done = true;
        return apply(promiseResolve, PromiseCtor, [result]);
      },
      [Symbol.asyncIterator]() { return this; },
    };
  },
};
const processObject = {
  argv: ['node', 'solution'],
  env: {},
  platform: 'linux',
  stdin: stdinStream,
  stdout: { write(chunk) { emit('o', StringCtor(chunk)); return true; } },
  stderr: { write(chunk) { emit('e', StringCtor(chunk)); return true; } },
  nextTick(fn, ...args) { queueMicrotaskFn(() => apply(fn, undefined, args)); },
  exit(code) {
    const n = code === undefined ? 0 : MathFloor(NumberCtor(code)) || 0;
    throw new ErrorCtor('process.exit(' + n + ')');
  },
};
if (stdin !== null) {
  define(G, 'input', stdin);
  define(G, 'readline', function readline() { return nextLine(); });
  define(G, 'print', function print(...args) { line('o', args); });
  define(G, 'process', processObject);
}

// ---- node:assert (the subset interview code and test suites use) ---------------------------
function makeAssert() {
  if (assertModule !== null) return assertModule;
  class AssertionError extends ErrorCtor {
    constructor(options) {
      super(options.message);
      this.name = 'AssertionError';
      this.code = 'ERR_ASSERTION';
      this.actual = options.actual;
      this.expected = options.expected;
      this.operator = options.operator;
      this.generatedMessage = options.generated;
    }
  }
  const fail = (actual, expected, message, operator, text) => {
    if (message instanceof ErrorCtor) throw message;
    const generated = message === undefined;
    throw new AssertionError({ actual, expected, operator, generated, message: generated ? text : StringCtor(message) });
  };
  const show = (value) => inspect(value, 1, null);
  const deepEqual = (a, b, strict, memo) => {
    if (strict ? objectIs(a, b) : a == b || (a !== a && b !== b)) return true;
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
    if (strict && getPrototypeOf(a) !== getPrototypeOf(b)) return false;
    if (isArray(a) !== isArray(b)) return false;
    if (brand(a) !== brand(b)) return false;
    for (let m = memo; m !== null; m = m.up) if (m.a === a && m.b === b) return true;
    const here = { a, b, up: memo };
    if (tryCall(dateGetTime, a)) return tryCall(dateGetTime, b) && apply(dateGetTime, a, []) === apply(dateGetTime, b, []);
    if (tryCall(regexpSource, a) && tryCall(regexpSource, b)) {
      if (apply(regexpSource, a, []) !== apply(regexpSource, b, []) || apply(regexpFlags, a, []) !== apply(regexpFlags, b, [])) return false;
    }
    if (brand(a) === '[object Error]' && (a.message !== b.message || a.name !== b.name)) return false;
    if (tryCall(mapSize, a)) {
      if (!tryCall(mapSize, b) || apply(mapSize, a, []) !== apply(mapSize, b, [])) return false;
      let same = true;
      apply(mapForEach, a, [(v, k) => {
        if (same && !(apply(mapHas, b, [k]) && deepEqual(v, apply(mapGet, b, [k]), strict, here))) same = false;
      }]);
      return same;
    }
    if (tryCall(setSize, a)) {
      if (!tryCall(setSize, b) || apply(setSize, a, []) !== apply(setSize, b, [])) return false;
      let same = true;
      apply(setForEach, a, [(v) => {
        if (!same || apply(setHas, b, [v])) return;
        let found = false;
        if (typeof v === 'object' && v !== null) {
          apply(setForEach, b, [(w) => { if (!found && deepEqual(v, w, strict, here)) found = true; }]);
        }
        if (!found) same = false;
      }]);
      return same;
    }
    const ka = objectKeys(a);
    const kb = objectKeys(b);
    if (ka.length !== kb.length) return false;
    for (let i = 0; i < ka.length; i++) {
      if (!hasOwn(b, ka[i])) return false;
      if (!deepEqual(a[ka[i]], b[ka[i]], strict, here)) return false;
    }
    return true;
  };
  const matches = (error, expected) => {
    if (expected === undefined) return true;
    if (typeof expected === 'function') {
      if (expected.prototype !== undefined && error instanceof expected) return true;
      if (ErrorCtor.isPrototypeOf(expected)) return false;
      return expected(error) === true;
    }
    if (tryCall(regexpSource, expected)) return apply(strTest, expected, [StringCtor(error)]);
    const keys = objectKeys(expected);
    for (let i = 0; i < keys.length; i++) {
      const want = expected[keys[i]];
      const got = error[keys[i]];
      if (tryCall(regexpSource, want) && typeof got === 'string' ? !apply(strTest, want, [got]) : !deepEqual(got, want, true, null)) return false;
    }
    return true;
  };
  const build = (strict) => {
    const ok = function ok(value, message) {
      if (!value) fail(value, true, message, '==', arguments.length === 0 ? 'No value argument passed to assert.ok()' : 'The expression evaluated to a falsy value:\n\n  ' + show(value) + '\n');
    };
    const assert = function assert(value, message) { apply(ok, undefined, arguments.length === 0 ? [] : [value, message]); };
    const equal = strict
      ? (a, b, m) => { if (!objectIs(a, b)) fail(a, b, m, 'strictEqual', 'Expected values to be strictly equal:\n\n' + show(a) + ' !== ' + show(b) + '\n'); }
      : (a, b, m) => { if (!(a == b || (a !== a && b !== b))) fail(a, b, m, '==', show(a) + ' == ' + show(b)); };
    const notEqual = strict
      ? (a, b, m) => { if (objectIs(a, b)) fail(a, b, m, 'notStrictEqual', 'Expected "actual" to be strictly unequal to: ' + show(b)); }
      : (a, b, m) => { if (a == b || (a !== a && b !== b)) fail(a, b, m, '!=', show(a) + ' != ' + show(b)); };
    const deep = (isStrict) => (a, b, m) => {
      if (!deepEqual(a, b, isStrict, null)) fail(a, b, m, isStrict ? 'deepStrictEqual' : 'deepEqual', 'Expected values to be ' + (isStrict ? 'strictly' : 'loosely') + ' deep-equal:\n\n' + show(a) + '\n\nshould ' + (isStrict ? '' : 'loosely ') + 'deep-equal\n\n' + show(b));
    };
    const notDeep = (isStrict) => (a, b, m) => {
      if (deepEqual(a, b, isStrict, null)) fail(a, b, m, isStrict ? 'notDeepStrictEqual' : 'notDeepEqual', 'Expected "actual" not to be ' + (isStrict ? 'strictly' : 'loosely') + ' deep-equal to: ' + show(b));
    };
    const methods = {
      ok,
      fail(message) { fail(undefined, undefined, message === undefined ? 'Failed' : message, 'fail', 'Failed'); },
      equal,
      notEqual,
      strictEqual: (a, b, m) => { if (!objectIs(a, b)) fail(a, b, m, 'strictEqual', 'Expected values to be strictly equal:\n\n' + show(a) + ' !== ' + show(b) + '\n'); },
      notStrictEqual: (a, b, m) => { if (objectIs(a, b)) fail(a, b, m, 'notStrictEqual', 'Expected "actual" to be strictly unequal to: ' + show(b)); },
      deepEqual: deep(strict),
      notDeepEqual: notDeep(strict),
      deepStrictEqual: deep(true),
      notDeepStrictEqual: notDeep(true),
      throws(fn, expected, message) {
        if (typeof expected === 'string') { message = expected; expected = undefined; }
        try { fn(); } catch (error) {
          if (!matches(error, expected)) throw error;
          return;
        }
        fail(undefined, expected, message, 'throws', 'Missing expected exception.');
      },
      doesNotThrow(fn, message) {
        try { fn(); } catch (error) { fail(error, undefined, typeof message === 'string' ? message : undefined, 'doesNotThrow', 'Got unwanted exception.\nActual message: "' + StringCtor(error && error.message) + '"'); }
      },
      async rejects(promiseOrFn, expected, message) {
        if (typeof expected === 'string') { message = expected; expected = undefined; }
        try { await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn); } catch (error) {
          if (!matches(error, expected)) throw error;
          return;
        }
        fail(undefined, expected, message, 'rejects', 'Missing expected rejection.');
      },
      async doesNotReject(promiseOrFn, message) {
        try { await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn); } catch (error) { fail(error, undefined, message, 'doesNotReject', 'Got unwanted rejection.'); }
      },
      match(text, pattern, message) { if (!apply(strTest, pattern, [text])) fail(text, pattern, message, 'match', 'The input did not match the regular expression ' + show(pattern) + '. Input:\n\n' + show(text) + '\n'); },
      doesNotMatch(text, pattern, message) { if (apply(strTest, pattern, [text])) fail(text, pattern, message, 'doesNotMatch', 'The input was expected to not match the regular expression ' + show(pattern) + '. Input:\n\n' + show(text) + '\n'); },
      AssertionError,
    };
    const keys = objectKeys(methods);
    for (let i = 0; i < keys.length; i++) define(assert, keys[i], methods[keys[i]]);
    return assert;
  };
  assertModule = build(false);
  define(assertModule, 'strict', build(true));
  define(assertModule.strict, 'strict', assertModule.strict);
  return assertModule;
}

// ---- The harness ---------------------------------------------------------------------------
let solution = null;
let settled = null;
// Checked now: later, RegExp.prototype.exec may belong to the candidate.
const fnName = settings.fn;
const fnNameOk = typeof fnName === 'string' && apply(strTest, identifierPattern, [fnName]);

const describeError = (error) => {
  let message = 'Uncaught exception';
  let stack = '';
  try {
    if (error !== null && (typeof error === 'object' || typeof error === 'function')) {
      const s = error.stack;
      if (typeof s === 'string') stack = s;
      let name = error.name;
      name = typeof name === 'string' && name ? name : 'Error';
      const text = error.message;
      message = text === undefined || text === '' ? name : name + ': ' + StringCtor(text);
      if (brand(error) !== '[object Error]' && stack === '') message = 'Uncaught ' + inspect(error, 1, null);
    } else {
      message = 'Uncaught ' + inspect(error, 1, null);
    }
  } catch {
    message = 'Uncaught exception (it could not be described)';
  }
  if (message.length > 2000) message = slice(message, 0, 2000) + '…';
  if (stack.length > 8000) stack = slice(stack, 0, 8000);
  return 'E' + message.length + ':' + message + stack;
};

const describeValue = (value) => {
  let json;
  try { json = jsonStringify(value); } catch (error) { return describeError(error); }
  if (typeof json !== 'string') json = 'null';
  if (json.length > settings.resultCap) {
    // A limit, not the candidate's exception: the host makes it output_limit.
    return 'L' + json.length;
  }
  return 'V' + json;
};

const find = () => {
  const name = fnName;
  if (!fnNameOk) return 'XNo valid function name was given.';
  let found;
  try { found = indirectEval('typeof ' + name + ' === "undefined" ? undefined : ' + name); } catch {}
  const fromExports = (exportsValue) => {
    try {
      if (exportsValue === null || (typeof exportsValue !== 'object' && typeof exportsValue !== 'function')) return undefined;
      const named = exportsValue[name];
      if (typeof named === 'function') return named;
      const fallback = exportsValue.default;
      if (typeof fallback === 'function') return fallback;
      if (typeof exportsValue === 'function') return exportsValue;
    } catch {}
    return undefined;
  };
  if (typeof found !== 'function') found = fromExports(moduleObject.exports);
  if (typeof found !== 'function') { try { found = fromExports(G.module && G.module.exports); } catch {} }
  if (typeof found !== 'function') found = fromExports(originalExports);
  if (typeof found !== 'function') {
    return 'XNo function named "' + name + '" was found. Define it at the top level, e.g. function ' + name + '(...) { ... }, or export it.';
  }
  solution = found;
  return 'D';
};

const awaitResult = async (thenable) => {
  let value;
  try { value = await thenable; } catch (error) { settled = describeError(error); return; }
  settled = describeValue(value);
};

const invoke = (argsJson) => {
  if (solution === null) return 'XThe solution function was not loaded.';
  let args;
  try { args = jsonParse(argsJson); } catch { return 'XThe test arguments could not be read.'; }
  let value;
  try { value = apply(solution, undefined, args); } catch (error) { return describeError(error); }
  let thenable = false;
  try { thenable = value !== null && (typeof value === 'object' || typeof value === 'function') && typeof value.then === 'function'; } catch (error) { return describeError(error); }
  if (!thenable) return describeValue(value);
  settled = null;
  awaitResult(value);
  return 'P';
};

// Every ivm call ends with a microtask checkpoint, so at the start of a poll all promise work
// has run: a promise still pending with no timer left can never settle.
const poll = () => {
  if (settled !== null) { const result = settled; settled = null; return result; }
  try {
    if (runNextTimer()) return 'P';
  } catch (error) {
    return describeError(error);
  }
  return stdin !== null ? 'D' : 'N';
};

// Stdio: after the program's top level, readline interfaces get their lines, then 'close'.
const drive = () => {
  try {
    if (stdin !== '') {
      for (let j = 0; j < stdinListeners.data.length; j++) apply(stdinListeners.data[j], undefined, [stdin]);
    }
    for (let j = 0; j < stdinListeners.end.length; j++) apply(stdinListeners.end[j], undefined, []);
    for (let i = 0; i < interfaces.length; i++) {
      const { listeners, isClosed } = interfaces[i];
      for (let value = nextLine(); value !== undefined && !isClosed(); value = nextLine()) {
        for (let j = 0; j < listeners.line.length; j++) apply(listeners.line[j], undefined, [value]);
      }
      for (let j = 0; j < listeners.close.length; j++) apply(listeners.close[j], undefined, []);
    }
  } catch (error) {
    return describeError(error);
  }
  return 'P';
};

return function harness(op, arg) {
  switch (op) {
    case 'find': return find();
    case 'call': return invoke(arg);
    case 'poll': return poll();
    case 'drive': return drive();
  }
  return 'XUnknown harness operation.';
};
})`
