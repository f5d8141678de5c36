/** Experiments (issue 21): A/B tests of models and rules, impressions, online metrics and their readout. */
export { ImpressionLog, type ImpressionLogOptions, type ImpressionLogStats } from './impression-log.js';
export type { ArmReadout, Comparison, Readout, ReadoutSeries, Verdict } from './readout.js';
export { type Assignment, ExperimentService } from './service.js';
export {
  ARM_RULES,
  type ArmRules,
  DEFAULT_SETTINGS,
  type ExperimentSettings,
  type ExperimentSpec,
  ONLINE_METRICS,
  type OnlineMetric,
  parseModelRef,
} from './spec.js';
