/**
 * The registry of CLI commands: each command lives in its own file and exports `register`. Adding a command is one
 * new file plus one line here.
 */
import { register as cluster } from './cluster.js';
import { register as demo } from './demo.js';
import { register as doctor } from './doctor.js';
import { register as embed } from './embed.js';
import { register as evalCommand } from './eval.js';
import { register as evalShapes } from './eval-shapes.js';
import { register as experiments } from './experiments.js';
import { register as ingest } from './ingest.js';
import { register as inspect } from './inspect.js';
import { register as jobs } from './jobs.js';
import { register as models } from './models.js';
import { register as recommend } from './recommend.js';
import { register as remove } from './remove.js';
import { register as scores } from './scores.js';
import { register as serve } from './serve.js';
import { register as similar } from './similar.js';
import { register as stats } from './stats.js';
import { register as train } from './train.js';
import type { RegisterCommand } from './types.js';
import { register as worker } from './worker.js';

export type { CommandContext, RegisterCommand } from './types.js';

export const commands: RegisterCommand[] = [
  demo,
  doctor,
  ingest,
  inspect,
  stats,
  evalCommand,
  serve,
  train,
  evalShapes,
  embed,
  similar,
  recommend,
  models,
  experiments,
  remove,
  worker,
  jobs,
  scores,
  cluster,
];
