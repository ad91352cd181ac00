/**
 * Types of the evidence format parsers beyond the core model.
 */
import type { Degradation, DescribeBlock, KubernetesEvent, KubernetesObject, LogEvent } from '../../../model/evidence.js';

/**
 * A Kubernetes event as parsed from text: the model's {@link KubernetesEvent} plus the `From`
 * column of a describe `Events:` table (`kubelet`, `default-scheduler`) or the `SOURCE` column of
 * `kubectl get events -o wide`, when printed.
 */
export type ParsedKubernetesEvent = KubernetesEvent & { readonly from?: string };

/** A mutable accumulator of the parts the parsers find in one text. */
export interface EvidenceParts {
  logs: LogEvent[];
  kubernetesObjects: KubernetesObject[];
  kubernetesEvents: ParsedKubernetesEvent[];
  describes: DescribeBlock[];
  degraded: Degradation[];
}
