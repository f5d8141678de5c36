/**
 * Progress of `layerwise train`, one line per update: the stage (reading events, each model's validation fit,
 * validation and final fit), how far it is, the time spent, an ETA and the process' resident memory — at most every `intervalMs` per stage, plus
 * a line when a stage ends, so a 100 M-event run never goes quiet for minutes and a CI log stays short.
 */
import type { TrainStage } from '../../eval/train-select.js';
import { formatDuration } from '../ingest/progress.js';
import type { StageProgress } from './read-events.js';

export function createTrainProgress(write: (line: string) => void, intervalMs = 2000) {
  let label = '';
  let t0 = Date.now();
  let last = 0;
  const show = (p: StageProgress, force = false) => {
    const now = Date.now();
    if (p.stage !== label) {
      label = p.stage;
      t0 = now;
      last = 0;
    }
    const finished = p.total !== null && p.done >= p.total;
    if (!force && !finished && now - last < intervalMs) return;
    last = now;
    const secs = (now - t0) / 1000;
    const frac = p.total ? p.done / p.total : null;
    const pct = frac !== null ? ` (${Math.floor(frac * 100)}%)` : '';
    const eta = frac !== null && frac > 0 && !finished ? `, ETA ${formatDuration((secs * (1 - frac)) / frac)}` : '';
    const rss = `, RSS ${(process.memoryUsage.rss() / 2 ** 30).toFixed(2)} GB`;
    write(`${label}: ${p.done}${p.total !== null ? `/${p.total}` : ''}${pct}, ${formatDuration(secs)}${eta}${rss}`);
  };
  return {
    /** Reading events and building the matrix. */
    read: (p: StageProgress) => show(p),
    /** A stage event of trainAndSelect. */
    stage: (s: TrainStage) => {
      const name = `${s.kind} ${s.stage}`;
      if (s.epoch !== undefined)
        show({ stage: `${name} (epochs)`, done: s.epoch + 1, total: s.epochs ?? null }, s.epoch === 0);
      else if (s.done !== undefined) show({ stage: name, done: s.done, total: s.total ?? null });
      else if (s.seconds !== undefined) write(`${name}: done in ${formatDuration(s.seconds)}`);
    },
  };
}
