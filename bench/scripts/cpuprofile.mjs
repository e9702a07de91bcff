#!/usr/bin/env node
// Reads the .cpuprofile files that BENCH_API_NODE_ARGS / BENCH_FLOOR_NODE_ARGS
// ("--cpu-prof --cpu-prof-dir=<dir>") leave, over the busiest 5 s of each (the measured run):
//
//   node bench/scripts/cpuprofile.mjs owners <profile> <calls>       time per call by package or source file
//   node bench/scripts/cpuprofile.mjs functions <profile> <calls>    time per call by function
//   node bench/scripts/cpuprofile.mjs diff <a> <callsA> <b> <callsB>  per-call difference by function (a - b)
//   node bench/scripts/cpuprofile.mjs callers <profile> <calls> <owner>  an owner's time (zod, say) by who called into it
//
// <calls>: the requests the run answered in those 5 s (req/s × 5 from the bench's table). Time in
// native frames (syscalls, JSON) is charged to the nearest JavaScript caller, so a socket write
// counts where it was made.
import { readFileSync } from 'node:fs';

const windowMicros = 5_000_000;
const special = new Set(['(idle)', '(garbage collector)', '(program)']);

function busiestWindow(file) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const times = [];
  let at = profile.startTime;
  for (const delta of profile.timeDeltas) {
    at += delta;
    times.push(at);
  }
  const idle = (i) => nodes.get(profile.samples[i]).callFrame.functionName === '(idle)';
  let best = 0;
  let bestStart = 0;
  let busy = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    if (!idle(i)) busy += profile.timeDeltas[i];
    for (; times[i] - times[j] > windowMicros; j++) if (!idle(j)) busy -= profile.timeDeltas[j];
    if (busy > best) [best, bestStart] = [busy, j];
  }
  const samples = [];
  for (let i = bestStart; i < times.length && times[i] - times[bestStart] <= windowMicros; i++) {
    let id = profile.samples[i];
    // Up to the nearest frame with a source (a native frame has none), unless it is idle/GC.
    for (;;) {
      const frame = nodes.get(id).callFrame;
      if (frame.url || special.has(frame.functionName) || !parents.has(id)) break;
      id = parents.get(id);
    }
    samples.push({ frame: nodes.get(id).callFrame, micros: profile.timeDeltas[i], stack: id, nodes, parents });
  }
  return samples;
}

function ownerOf({ frame, stack, nodes, parents }) {
  if (special.has(frame.functionName)) return frame.functionName;
  for (let id = stack; id !== undefined; id = parents.get(id)) {
    const url = nodes.get(id).callFrame.url;
    const pkg = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
    if (pkg) return pkg[1];
    const source = url.match(/(?:packages|apps)\/([^/]+)\/src\/([^/]+)/);
    if (source) return `${source[1]}/${source[2]}`;
  }
  return '(node only)';
}

/** The nearest frame up the stack that belongs to another owner than `owner`: who called into it. */
function callerOutside(owner) {
  return (sample) => {
    const { stack, nodes, parents } = sample;
    for (let id = parents.get(stack); id !== undefined; id = parents.get(id)) {
      const frame = nodes.get(id).callFrame;
      if (!frame.url) continue;
      const caller = { ...sample, frame, stack: id };
      if (ownerOf(caller) !== owner) return functionOf(caller);
    }
    return '(root)';
  };
}

function functionOf({ frame }) {
  const where = frame.url.replace(/.*node_modules\//, '').replace(/.*\/(packages|apps)\//, '');
  return `${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber}`;
}

function perCall(samples, keyOf, calls) {
  const totals = new Map();
  for (const sample of samples) totals.set(keyOf(sample), (totals.get(keyOf(sample)) ?? 0) + sample.micros);
  return new Map([...totals].map(([key, micros]) => [key, micros / calls]));
}

function print(rows, limit) {
  for (const [key, micros] of rows.slice(0, limit)) console.log(`${micros.toFixed(1).padStart(8)} µs/call  ${key}`);
}

const [mode, a, callsA, b, callsB] = process.argv.slice(2);
const byValue = (rows) => [...rows].sort((x, y) => y[1] - x[1]);
if (mode === 'owners' && a && callsA) print(byValue(perCall(busiestWindow(a), ownerOf, Number(callsA))), 30);
else if (mode === 'functions' && a && callsA) print(byValue(perCall(busiestWindow(a), functionOf, Number(callsA))), 40);
else if (mode === 'diff' && a && callsA && b && callsB) {
  const left = perCall(busiestWindow(a), functionOf, Number(callsA));
  const right = perCall(busiestWindow(b), functionOf, Number(callsB));
  const keys = new Set([...left.keys(), ...right.keys()]);
  print(byValue([...keys].map((key) => [key, (left.get(key) ?? 0) - (right.get(key) ?? 0)])), 40);
} else if (mode === 'callers' && a && callsA && b) {
  const samples = busiestWindow(a).filter((sample) => ownerOf(sample) === b);
  print(byValue(perCall(samples, callerOutside(b), Number(callsA))), 40);
} else {
  console.error(
    'usage: cpuprofile.mjs owners|functions <profile> <calls> | diff <a> <callsA> <b> <callsB> | callers <profile> <calls> <owner>',
  );
  process.exit(2);
}
