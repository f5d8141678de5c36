/**
 * A/B tests on the wire: an experiment and its arms, the create body, and the readout (per-arm online metrics with
 * 95 % intervals, the always-valid comparisons against the control, cumulative series and the verdict).
 */
import { z } from 'zod';
import { named } from './registry.js';

/** Event types an arm's online metrics are computed for (rates of shown items that got one). */
export const OnlineMetric = z.enum(['view', 'like', 'download', 'make']);
export type OnlineMetric = z.infer<typeof OnlineMetric>;

export const ExperimentArm = named(
  'ExperimentArm',
  z.object({
    name: z.string(),
    model: z.string().nullable().describe('model version `name@version`; null = the active model'),
    rules: z.record(z.string(), z.unknown()).nullable().describe('rule overrides of this arm (null = none)'),
    share: z.number().describe('traffic share (normalised over the arms)'),
  }),
);
export type ExperimentArm = z.infer<typeof ExperimentArm>;

export const ExperimentInfo = named(
  'Experiment',
  z.object({
    id: z.string(),
    name: z.string(),
    status: z.enum(['draft', 'running', 'stopped']),
    arms: z.array(ExperimentArm),
    settings: z.record(z.string(), z.unknown()).describe('readout settings (primaryMetric, alpha, tau, minUsers)'),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    stoppedAt: z.string().nullable(),
  }),
);
export type ExperimentInfo = z.infer<typeof ExperimentInfo>;

const ArmInput = z.strictObject({
  name: z.string().min(1).max(64),
  model: z.string().nullable().optional().describe('model version `name@version`; null or absent = the active model'),
  rules: z
    .record(z.string(), z.number().min(0))
    .nullable()
    .optional()
    .describe('rule overrides: supportPenalty, openMeshPenalty, maxPerCreator, maxPerFamily'),
  share: z.number().gt(0).optional().describe('traffic share (normalised over arms; default 1)'),
});

/** POST /v1/experiments */
export const ExperimentCreate = z.strictObject({
  id: z.string().min(1).max(64).optional(),
  name: z.string().min(1).max(200),
  arms: z.array(ArmInput).min(2).max(10),
  start: z.boolean().optional().describe('start at once (default false)'),
  settings: z
    .strictObject({
      primaryMetric: OnlineMetric.optional(),
      alpha: z.number().gt(0).max(0.5).optional(),
      tau: z.number().gt(0).max(1).optional(),
      minUsers: z.int().min(10).optional(),
    })
    .optional(),
});
export type ExperimentCreate = z.infer<typeof ExperimentCreate>;

export const RateEstimate = named(
  'RateEstimate',
  z.object({
    rate: z.number().describe('point estimate'),
    variance: z.number().describe('variance of the estimate'),
    lo: z.number().describe('95 % interval, low end'),
    hi: z.number().describe('95 % interval, high end'),
    users: z.int().describe('users behind it'),
  }),
);
export type RateEstimate = z.infer<typeof RateEstimate>;

const perMetric = z.object({ perImpression: RateEstimate, perUser: RateEstimate });

const ArmReadout = z.object({
  name: z.string(),
  model: z.string().nullable(),
  rules: z.record(z.string(), z.unknown()).nullable(),
  share: z.number(),
  users: z.int(),
  impressions: z.int(),
  metrics: z
    .object({ view: perMetric, like: perMetric, download: perMetric, make: perMetric })
    .describe('per online metric: rate per impression (delta-method CI) and share of users with one (Wilson CI)'),
});

const Comparison = z.object({
  arm: z.string(),
  control: z.string(),
  metric: OnlineMetric,
  difference: z.number().describe('rate of `arm` − rate of `control` (per impression)'),
  lo: z.number().nullable().describe('always-valid confidence sequence of the difference; null while unbounded'),
  hi: z.number().nullable(),
  p: z.number().describe('always-valid p-value (running minimum over looks)'),
  significant: z.boolean(),
});

export const ExperimentReadout = named(
  'ExperimentReadout',
  z.object({
    experiment: ExperimentInfo,
    settings: z.object({ primaryMetric: OnlineMetric, alpha: z.number(), tau: z.number(), minUsers: z.int() }),
    arms: z.array(ArmReadout),
    comparisons: z.array(Comparison).describe('each arm after the first against the first (the control)'),
    verdict: z.object({
      state: z.enum(['draft', 'collecting', 'no_difference_yet', 'winner']),
      arm: z.string().nullable().describe('the arm to ship, when `winner`'),
      text: z.string(),
    }),
    series: z
      .object({
        at: z.array(z.number()).describe('end of each time bucket (epoch ms)'),
        arms: z.array(
          z.object({
            name: z.string(),
            users: z.array(z.int()),
            rate: z.array(z.number()),
            lo: z.array(z.number()),
            hi: z.array(z.number()),
          }),
        ),
        p: z.array(z.array(z.number())).describe('always-valid p-value of each comparison after each bucket'),
      })
      .describe('cumulative primary-metric rate per arm and p-values over time, for charts'),
  }),
);
export type ExperimentReadout = z.infer<typeof ExperimentReadout>;
