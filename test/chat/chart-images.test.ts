import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDingTalkApi } from '../../src/chat/dingtalk/api';
import { DeliveryError, type OutgoingImage } from '../../src/chat/gateway';
import { createOutboxClient } from '../../src/chat/slack/app';
import { createSlackGateway } from '../../src/chat/slack/gateway';
import { startFakeDingTalk, type FakeDingTalk } from '../helpers/fake-dingtalk';
import { capturingLogger } from '../helpers/service';

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(64, 7)]);
const chart = (to: OutgoingImage['to']): OutgoingImage => ({ to, name: 'digest-2026-11-24.png', title: '近 14 天投诉（按类别）· 滨江壹号', png: PNG, lang: 'zh-CN' });

describe('a chart on Slack: files.uploadV2 in its three calls', () => {
  const API = 'https://slack.charts.test';
  const gateway = () => createSlackGateway(createOutboxClient('xoxb-charts', `${API}/api/`, capturingLogger('silent').logger));
  const form = (body: unknown) => (typeof body === 'string' ? Object.fromEntries(new URLSearchParams(body)) : (body as Record<string, string>));
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('asks for an upload URL, posts the PNG’s bytes to it, then shares the file into the channel', async () => {
    nock.disableNetConnect();
    const calls: string[] = [];
    nock(API)
      .post('/api/files.getUploadURLExternal', (body) => {
        const args = form(body);
        calls.push('getUploadURLExternal');
        return args.filename === 'digest-2026-11-24.png' && Number(args.length) === PNG.length;
      })
      .reply(200, { ok: true, upload_url: `${API}/upload/F1`, file_id: 'F1' })
      .post('/upload/F1', (body) => {
        calls.push('upload');
        // The bytes as drawn, whole, in the form's one part (nock hands a binary body over as hex).
        return Buffer.from(String(body), 'hex').includes(PNG);
      })
      .reply(200, 'OK')
      .post('/api/files.completeUploadExternal', (body) => {
        const args = form(body);
        calls.push('completeUploadExternal');
        const files = JSON.parse(args.files!) as Array<{ id: string; title: string }>;
        return args.channel_id === 'C_TEAM' && files[0]!.id === 'F1' && files[0]!.title.includes('滨江壹号');
      })
      .reply(200, { ok: true, files: [{ id: 'F1' }] });
    await gateway().sendImage!(chart({ kind: 'channel', channel: 'C_TEAM' }));
    expect(calls).toEqual(['getUploadURLExternal', 'upload', 'completeUploadExternal']);
    expect(nock.isDone()).toBe(true);
  });

  it('turns a refusal for want of files:write into a permanent one, so the text stays alone and the managers are told', async () => {
    nock.disableNetConnect();
    nock(API).post('/api/files.getUploadURLExternal').reply(200, { ok: false, error: 'missing_scope', needed: 'files:write' });
    const error = await gateway().sendImage!(chart({ kind: 'channel', channel: 'C_TEAM' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ permanent: true, message: expect.stringContaining('missing_scope') });
  });
});

describe('a chart on DingTalk: media/upload as an image', () => {
  let fake: FakeDingTalk;
  beforeAll(async () => {
    fake = await startFakeDingTalk();
  });
  afterAll(async () => {
    await fake.stop();
  });
  const api = () =>
    createDingTalkApi({ apiUrl: fake.url, oapiUrl: fake.url, clientId: fake.clientId, clientSecret: fake.clientSecret, robotCode: fake.clientId, logger: capturingLogger('silent').logger });

  it('uploads the PNG with type=image and sends its media id as a sampleImageMsg', async () => {
    const client = api();
    const mediaId = await client.uploadImage('digest.png', new Uint8Array(PNG));
    expect(fake.uploads.at(-1)).toMatchObject({ name: 'digest.png', queryType: 'image', formType: 'image' });
    await client.sendToGroup('cidGROUP==', { msgKey: 'sampleImageMsg', msgParam: { photoURL: mediaId } });
    expect(fake.sends.at(-1)).toMatchObject({ via: 'group', msgKey: 'sampleImageMsg', param: { photoURL: mediaId } });
  });

  it('reads an upload DingTalk refuses (an error code) as permanent', async () => {
    fake.behaviour.upload = false;
    try {
      const error = await api()
        .uploadImage('digest.png', new Uint8Array(PNG))
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ permanent: true, message: expect.stringContaining('40004') });
    } finally {
      fake.behaviour.upload = true;
    }
  });
});
