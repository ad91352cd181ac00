/**
 * The ask use case's {@link KubernetesApi} for an EKS cluster: the endpoint and CA from
 * `eks:DescribeCluster` (read once), a fresh EKS bearer token per request (presigned STS
 * `GetCallerIdentity`, see `eksBearerToken`). Used for server-side dry runs of plans and, when
 * approvals are enabled, their execution.
 */
import { DescribeClusterCommand, type EKSClient } from '@aws-sdk/client-eks';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { KubernetesApi, KubernetesResponse } from '../../core/ask/ports.js';
import type { KubernetesRequest } from '../../core/ask/plans.js';
import { KubernetesApiClient } from '../kubernetes/kubernetes-api.client.js';
import { eksBearerToken } from './kubernetes-api.reader.js';

export interface EksKubernetesApiOptions {
  readonly eks: EKSClient;
  readonly clusterName: string;
  readonly region: string;
  readonly credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  readonly timeoutMs?: number;
}

export class EksKubernetesApi implements KubernetesApi {
  private client?: Promise<KubernetesApiClient>;
  constructor(private readonly options: EksKubernetesApiOptions) {}

  private connect(): Promise<KubernetesApiClient> {
    this.client ??= (async () => {
      const { cluster } = await this.options.eks.send(new DescribeClusterCommand({ name: this.options.clusterName }));
      if (!cluster?.endpoint) throw new Error(`EKS cluster ${this.options.clusterName} has no endpoint`);
      return new KubernetesApiClient({
        endpoint: cluster.endpoint,
        caPem: cluster.certificateAuthority?.data ? Buffer.from(cluster.certificateAuthority.data, 'base64').toString('utf8') : undefined,
        token: () => eksBearerToken(this.options.clusterName, this.options.region, this.options.credentials),
        timeoutMs: this.options.timeoutMs,
      });
    })();
    this.client.catch(() => { this.client = undefined; });
    return this.client;
  }

  async send(request: KubernetesRequest, options: { readonly dryRun: boolean }): Promise<KubernetesResponse> {
    return (await this.connect()).send(request, options);
  }
}
