/**
 * Template tests of the chat option: the chat topic and the Slack / Microsoft Teams channel
 * configurations of Amazon Q Developer in chat applications (AWS::Chatbot::*), with and without
 * the context values, and their least privilege.
 */
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../infra/lib/config.js';
import { actionsOf, buildTemplates, identityStatements, resourcesOf, type BuiltTemplates } from './support.js';

const SLACK = { slackWorkspaceId: 'T0123ABCD', slackChannelId: 'C0456EFGH' };
const TEAMS = {
  teamsTenantId: '9f8e7d6c-5b4a-3210-fedc-ba9876543210',
  teamsTeamId: '01234567-89ab-cdef-0123-456789abcdef',
  teamsChannelId: '19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2',
};

/** Logical ids of the resources of `type`. */
function ids(template: Template, type: string): string[] {
  return Object.keys(template.findResources(type));
}

/** The environment variables of every function of the service stack. */
function functionEnvironments(service: Template): Array<Record<string, unknown>> {
  return Object.values(service.findResources('AWS::Lambda::Function'))
    .map((f) => (f as { Properties: { Environment?: { Variables?: Record<string, unknown> } } }).Properties.Environment?.Variables)
    .filter((v): v is Record<string, unknown> => v !== undefined && 'INCIDENT_TOPIC_ARN' in v);
}

describe('without chat context', () => {
  let built: BuiltTemplates;
  beforeAll(() => {
    built = buildTemplates();
  });

  it('creates no chat topic and no channel configuration, and sets no CHAT_TOPIC_ARN', () => {
    expect(built.config.chatTopic).toBe(false);
    expect(built.data.chatTopic).toBeUndefined();
    built.dataTemplate.resourceCountIs('AWS::SNS::Topic', 1);
    for (const template of [built.dataTemplate, built.serviceTemplate]) {
      expect(ids(template, 'AWS::Chatbot::SlackChannelConfiguration')).toEqual([]);
      expect(ids(template, 'AWS::Chatbot::MicrosoftTeamsChannelConfiguration')).toEqual([]);
    }
    const envs = functionEnvironments(built.serviceTemplate);
    expect(envs).toHaveLength(3);
    for (const env of envs) expect(env).not.toHaveProperty('CHAT_TOPIC_ARN');
  });
});

describe('with a Slack channel and a Teams channel', () => {
  let built: BuiltTemplates;
  let data: Template;
  let service: Template;
  let chatTopicId: string;
  beforeAll(() => {
    built = buildTemplates({ ...SLACK, ...TEAMS });
    data = built.dataTemplate;
    service = built.serviceTemplate;
    chatTopicId = Object.keys(data.findResources('AWS::SNS::Topic', { Properties: { DisplayName: 'ops-assistant chat notifications' } }))[0]!;
  });

  it('creates the chat topic, encrypted with the data key, TLS only, and outputs its ARN', () => {
    expect(chatTopicId).toBeDefined();
    const keyId = Object.keys(data.findResources('AWS::KMS::Key'))[0]!;
    data.hasResourceProperties('AWS::SNS::Topic', { DisplayName: 'ops-assistant chat notifications', KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    data.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: chatTopicId }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    data.hasOutput('ChatTopicArn', { Value: { Ref: chatTopicId } });
  });

  it('gives every function CHAT_TOPIC_ARN and sns:Publish on that topic alone', () => {
    const envs = functionEnvironments(service);
    expect(envs).toHaveLength(3);
    for (const env of envs) expect(env.CHAT_TOPIC_ARN).toEqual({ 'Fn::ImportValue': expect.stringMatching(/ChatTopic/) });
    const publish = identityStatements(service).filter(({ statement }) => actionsOf(statement).includes('sns:Publish'));
    const toChat = publish.filter(({ statement }) => JSON.stringify(resourcesOf(statement)).includes('ChatTopic'));
    expect(new Set(toChat.map((p) => p.policy)).size).toBe(3);
    for (const { statement } of publish) expect(resourcesOf(statement)).not.toContain('*');
  });

  it('subscribes a Slack channel configuration to the chat topic with the deny-all guardrail', () => {
    service.hasResourceProperties('AWS::Chatbot::SlackChannelConfiguration', {
      ConfigurationName: 'OpsAssistantService-slack',
      SlackWorkspaceId: SLACK.slackWorkspaceId,
      SlackChannelId: SLACK.slackChannelId,
      SnsTopicArns: [{ 'Fn::ImportValue': Match.stringLikeRegexp('ChatTopic') }],
      GuardrailPolicies: [{ Ref: Match.stringLikeRegexp('ChatGuardrail') }],
      IamRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('ChatChannelRole'), 'Arn'] },
      LoggingLevel: 'NONE',
    });
  });

  it('subscribes a Teams channel configuration to the chat topic with the same guardrail and role', () => {
    service.hasResourceProperties('AWS::Chatbot::MicrosoftTeamsChannelConfiguration', {
      ConfigurationName: 'OpsAssistantService-teams',
      TeamsTenantId: TEAMS.teamsTenantId,
      TeamId: TEAMS.teamsTeamId,
      TeamsChannelId: TEAMS.teamsChannelId,
      SnsTopicArns: [{ 'Fn::ImportValue': Match.stringLikeRegexp('ChatTopic') }],
      GuardrailPolicies: [{ Ref: Match.stringLikeRegexp('ChatGuardrail') }],
      IamRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('ChatChannelRole'), 'Arn'] },
    });
  });

  it('grants the channels nothing: the guardrail denies every action and the role has no policy', () => {
    const guardrails = service.findResources('AWS::IAM::ManagedPolicy', { Properties: { Description: Match.stringLikeRegexp('chat channels') } });
    expect(Object.keys(guardrails)).toHaveLength(1);
    const statements = (Object.values(guardrails)[0] as { Properties: { PolicyDocument: { Statement: Array<{ Effect: string; Action: unknown; Resource: unknown }> } } }).Properties.PolicyDocument.Statement;
    expect(statements).toEqual([expect.objectContaining({ Effect: 'Deny', Action: '*', Resource: '*' })]);
    const roleId = Object.keys(service.findResources('AWS::IAM::Role', { Properties: { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'chatbot.amazonaws.com' } })] } } }));
    expect(roleId).toHaveLength(1);
    const role = service.findResources('AWS::IAM::Role')[roleId[0]!] as { Properties: Record<string, unknown> };
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.Policies).toBeUndefined();
    const attached = Object.values(service.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify((p as { Properties: { Roles?: unknown } }).Properties.Roles ?? []).includes(roleId[0]!));
    expect(attached).toEqual([]);
  });
});

describe('chatTopic=true alone (a channel configured outside this app)', () => {
  it('creates the topic and CHAT_TOPIC_ARN but no channel configuration', () => {
    const built = buildTemplates({ chatTopic: 'true' });
    built.dataTemplate.resourceCountIs('AWS::SNS::Topic', 2);
    expect(ids(built.serviceTemplate, 'AWS::Chatbot::SlackChannelConfiguration')).toEqual([]);
    expect(ids(built.serviceTemplate, 'AWS::IAM::ManagedPolicy').filter((id) => id.includes('Chat'))).toEqual([]);
    for (const env of functionEnvironments(built.serviceTemplate)) expect(env).toHaveProperty('CHAT_TOPIC_ARN');
  });
});

describe('chat context values', () => {
  it.each([
    [{ slackWorkspaceId: 'T0123ABCD' }, 'slackChannelId', /both or neither/],
    [{ slackChannelId: 'C0456EFGH' }, 'slackWorkspaceId', /both or neither/],
    [{ ...SLACK, slackWorkspaceId: 't0123-abcd' }, 'slackWorkspaceId', /not a Slack workspace ID/],
    [{ ...SLACK, slackChannelId: '#ops' }, 'slackChannelId', /not a Slack channel ID/],
    [{ teamsTenantId: TEAMS.teamsTenantId, teamsChannelId: TEAMS.teamsChannelId }, 'teamsTeamId', /missing teamsTeamId/],
    [{ ...TEAMS, teamsTeamId: 'my-team' }, 'teamsTeamId', /not a GUID/],
    [{ ...TEAMS, teamsChannelId: '19:abc@thread.tacv2' }, 'teamsChannelId', /as Teams copies it/],
  ])('refuses %j naming %s', (context, key, message) => {
    let error: unknown;
    try {
      buildTemplates(context as Record<string, unknown>);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).key).toBe(key);
    expect((error as Error).message).toMatch(message);
  });
});
