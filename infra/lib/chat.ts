/**
 * Slack and Microsoft Teams channels through Amazon Q Developer in chat applications (formerly
 * AWS Chatbot): channel configurations subscribed to the chat topic, which receives every
 * diagnosis as a custom notification (functions/core/stages/deliver/chat.ts).
 *
 * Least privilege: the channels only receive notifications. The role Amazon Q Developer assumes
 * carries no policy, and the channel guardrail (which caps what any channel member may run, and
 * which CloudFormation sets to `AdministratorAccess` when none is given) denies every action.
 * Before a configuration can be created, the workspace (Slack) or team (Teams) must have been
 * authorized once in the Amazon Q Developer in chat applications console; see
 * https://docs.aws.amazon.com/chatbot/latest/adminguide/slack-setup.html and
 * https://docs.aws.amazon.com/chatbot/latest/adminguide/teams-setup.html.
 */
import { Stack } from 'aws-cdk-lib';
import * as chatbot from 'aws-cdk-lib/aws-chatbot';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { OpsAssistantConfig } from './config.js';

/** Props of {@link ChatChannels}. */
export interface ChatChannelsProps {
  readonly config: Pick<OpsAssistantConfig, 'slackWorkspaceId' | 'slackChannelId' | 'teamsTenantId' | 'teamsTeamId' | 'teamsChannelId'>;
  /** The topic the channels subscribe to. */
  readonly topic: sns.ITopic;
}

/**
 * The channel configurations the context names (Slack with `slackWorkspaceId` + `slackChannelId`,
 * Teams with `teamsTenantId` + `teamsTeamId` + `teamsChannelId`), each subscribed to `topic`.
 * @example new ChatChannels(stack, 'Chat', { config, topic: data.chatTopic })
 */
export class ChatChannels extends Construct {
  /** The role Amazon Q Developer assumes for the channels: no permissions. */
  readonly role: iam.Role;
  /** The guardrail of every channel: denies all actions. */
  readonly guardrail: iam.ManagedPolicy;
  readonly slack?: chatbot.SlackChannelConfiguration;
  readonly teams?: chatbot.CfnMicrosoftTeamsChannelConfiguration;

  constructor(scope: Construct, id: string, props: ChatChannelsProps) {
    super(scope, id);
    const { config, topic } = props;
    const name = Stack.of(this).stackName;
    this.role = new iam.Role(this, 'ChannelRole', {
      assumedBy: new iam.ServicePrincipal('chatbot.amazonaws.com'),
      description: 'ops-assistant chat channels: notifications only, no permissions',
    });
    this.guardrail = new iam.ManagedPolicy(this, 'Guardrail', {
      description: 'ops-assistant chat channels: notifications only; no AWS action may be run from the channel',
      statements: [new iam.PolicyStatement({ sid: 'NotificationsOnly', effect: iam.Effect.DENY, actions: ['*'], resources: ['*'] })],
    });
    if (config.slackWorkspaceId && config.slackChannelId) {
      this.slack = new chatbot.SlackChannelConfiguration(this, 'Slack', {
        slackChannelConfigurationName: `${name}-slack`,
        slackWorkspaceId: config.slackWorkspaceId,
        slackChannelId: config.slackChannelId,
        notificationTopics: [topic],
        role: this.role,
        guardrailPolicies: [this.guardrail],
        loggingLevel: chatbot.LoggingLevel.NONE,
      });
    }
    if (config.teamsTenantId && config.teamsTeamId && config.teamsChannelId) {
      this.teams = new chatbot.CfnMicrosoftTeamsChannelConfiguration(this, 'Teams', {
        configurationName: `${name}-teams`,
        teamsTenantId: config.teamsTenantId,
        teamId: config.teamsTeamId,
        teamsChannelId: config.teamsChannelId,
        snsTopicArns: [topic.topicArn],
        iamRoleArn: this.role.roleArn,
        guardrailPolicies: [this.guardrail.managedPolicyArn],
        loggingLevel: 'NONE',
      });
    }
  }
}
