/**
 * The open-loop generator in a process of its own (small heap, nothing else on its event loop), so the client's
 * pauses stay out of the latency it measures: `open-loop-child.ts BASE USERS_JSON RATE SECONDS SEED` requests
 * recommendations for users drawn at random from the JSON list and prints the OpenLoopResult as one JSON line.
 */
import { readFileSync } from 'node:fs';
import { Rng } from '../../src/core/rng.js';
import { openLoop } from './open-loop.js';

const [base, usersFile, rate, seconds, seed] = process.argv.slice(2);
const users = JSON.parse(readFileSync(usersFile!, 'utf8')) as string[];
const paths = users.map((u) => `/v1/users/${encodeURIComponent(u)}/recommendations?k=10`);
const rng = new Rng(Number(seed ?? 1));
const result = await openLoop(base!, () => paths[rng.int(paths.length)]!, {
  rate: Number(rate),
  durationS: Number(seconds),
});
process.stdout.write(`${JSON.stringify(result)}\n`);
