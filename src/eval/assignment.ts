/**
 * Sticky experiment assignment: a user's arm is a pure function of (experiment id, user id) — MurmurHash3 (x86,
 * 32-bit) of `experimentId:userId` mapped to [0, 1) and cut by the arms' normalised traffic shares. The same user
 * always lands in the same arm of one experiment (across restarts and processes, with no stored state), and
 * assignments to different experiments are independent because the experiment id is part of the key.
 */

const textEncoder = new TextEncoder();

/** MurmurHash3_x86_32 of the UTF-8 bytes of `text` (Appleby 2011), as an unsigned 32-bit integer. */
export function murmur3(text: string, seed = 0): number {
  const bytes = textEncoder.encode(text);
  const n = bytes.length;
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  let h = seed >>> 0;
  const blocks = n - (n % 4);
  for (let i = 0; i < blocks; i += 4) {
    let k = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = n & 3;
  if (tail > 0) {
    let k = 0;
    if (tail === 3) k ^= bytes[blocks + 2]! << 16;
    if (tail >= 2) k ^= bytes[blocks + 1]! << 8;
    k ^= bytes[blocks]!;
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
  }
  h ^= n;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The user's position in [0, 1) for an experiment. */
export function assignmentPoint(experimentId: string, userId: string): number {
  return murmur3(`${experimentId}:${userId}`) / 4294967296;
}

/** Index of the arm a point falls in, given traffic shares (> 0, normalised here). */
export function armForPoint(point: number, shares: readonly number[]): number {
  let total = 0;
  for (const s of shares) total += s;
  let acc = 0;
  for (let i = 0; i < shares.length; i++) {
    acc += shares[i]! / total;
    if (point < acc) return i;
  }
  return shares.length - 1;
}

/** Index of the user's arm in an experiment (sticky: same inputs, same arm). */
export function assignArm(experimentId: string, userId: string, shares: readonly number[]): number {
  return armForPoint(assignmentPoint(experimentId, userId), shares);
}
