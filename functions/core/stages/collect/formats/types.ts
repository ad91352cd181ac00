/**
 * Types of the evidence format parsers beyond the core model.
 */
import type { Degradation, DescribeBlock, KubernetesEvent, KubernetesObject, LogEvent, MetricSeries } from '../../../model/evidence.js';

/**
 * A Kubernetes event as parsed from text: the model's {@link KubernetesEvent} plus the `From`
 * column of a describe `Events:` table (`kubelet`, `default-scheduler`) or the `SOURCE` column of
 * `kubectl get events -o wide`, when printed.
 */
export type ParsedKubernetesEvent = KubernetesEvent & { readonly from?: string };

/**
 * A log event as parsed: the model's {@link LogEvent} plus the CloudWatch Logs log group when the
 * input names it (subscription payloads carry `logGroup`; e.g. `/aws/lambda/checkout`).
 */
export type ParsedLogEvent = LogEvent & { readonly logGroup?: string };

/** A mutable accumulator of the parts the parsers find in one text. */
export interface EvidenceParts {
  logs: LogEvent[];
  kubernetesObjects: KubernetesObject[];
  kubernetesEvents: ParsedKubernetesEvent[];
  describes: DescribeBlock[];
  degraded: Degradation[];
  /** Metric series (CloudWatch `GetMetricData` responses); absent when none was read. */
  metrics?: MetricSeries[];
}
