// `node --import tsx bench/src/profile-top.ts <file.cpuprofile> [rows]`: the functions of a V8
// CPU profile (`node --cpu-prof`) by self time and by total time (a function counted once per
// sample however deep it recurses), and self time by package, as shares of the non-idle time.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, rowsArg] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-top.ts <file.cpuprofile> [rows]');
const rows = Number(rowsArg ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parents = new Map<number, number>();
for (const node of profile.nodes)
  for (const child of node.children ?? []) parents.set(child, node.id);

const shortUrl = (url: string) =>
  url.replace(/.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, '').replace(/.*\/packages\//, '');
const label = ({ callFrame: f }: ProfileNode) =>
  `${f.functionName || '(anonymous)'} ${shortUrl(f.url)}:${f.lineNumber + 1}`;
const packageOf = ({ callFrame: f }: ProfileNode) =>
  /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f.url)?.[1] ??
  (/\/packages\/([^/]+)\//.exec(f.url)?.[1] ||
    (f.url.startsWith('node:') ? f.url.split('/').slice(0, 2).join('/') : f.functionName));

const self = new Map<string, number>();
const total = new Map<string, number>();
const byPackage = new Map<string, number>();
const add = (map: Map<string, number>, key: string, time: number) =>
  map.set(key, (map.get(key) ?? 0) + time);
let busy = 0;
profile.samples.forEach((id, index) => {
  const node = nodes.get(id)!;
  const time = profile.timeDeltas[index] ?? 0;
  if (node.callFrame.functionName === '(idle)') return;
  busy += time;
  add(self, label(node), time);
  add(byPackage, packageOf(node), time);
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
    const key = label(nodes.get(at)!);
    if (!seen.has(key)) add(total, key, time);
    seen.add(key);
  }
});

const print = (title: string, map: Map<string, number>) => {
  process.stdout.write(`--- ${title}\n`);
  for (const [key, time] of [...map].sort((a, b) => b[1] - a[1]).slice(0, rows)) {
    process.stdout.write(`${((100 * time) / busy).toFixed(1).padStart(6)}%  ${key}\n`);
  }
};
process.stdout.write(`${file}: ${(busy / 1000).toFixed(0)} ms on CPU\n`);
print('self time by package', byPackage);
print('self time', self);
print('total time', total);
