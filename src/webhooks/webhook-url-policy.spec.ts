import type { AppConfig } from '../config/app-config';
import { WebhookUrlPolicy, WebhookUrlRefused } from './webhook-url-policy';

const policy = (allowHttp: boolean, allowPrivate: boolean): WebhookUrlPolicy =>
  new WebhookUrlPolicy({ webhookAllowHttp: allowHttp, webhookAllowPrivateUrls: allowPrivate } as AppConfig);

const NON_PUBLIC = [
  'https://127.0.0.1/h',
  'https://10.0.0.1/h',
  'https://172.16.5.4/h',
  'https://192.168.1.1/h',
  'https://169.254.169.254/latest',
  'https://100.64.0.1/h',
  'https://224.0.0.1/h',
  'https://0.0.0.0/h',
  'https://[::1]/h',
  'https://[::]/h',
  'https://[fe80::1]/h',
  'https://[fc00::1]/h',
  'https://[::ffff:127.0.0.1]/h',
  'https://localhost/h',
];

describe(WebhookUrlPolicy.name, () => {
  it.each(NON_PUBLIC)('refuses %s by default and accepts it with WEBHOOK_ALLOW_PRIVATE_URLS', async (url) => {
    await expect(policy(false, false).resolve(url)).rejects.toBeInstanceOf(WebhookUrlRefused);
    await expect(policy(false, true).resolve(url)).resolves.toMatchObject({ url: new URL(url) });
  });

  it('refuses http:// unless WEBHOOK_ALLOW_HTTP, and other schemes always', async () => {
    await expect(policy(false, false).resolve('http://93.184.215.14/h')).rejects.toThrow('https://');
    await expect(policy(true, false).resolve('http://93.184.215.14/h')).resolves.toMatchObject({
      address: '93.184.215.14',
      family: 4,
    });
    await expect(policy(true, true).resolve('ftp://127.0.0.1/h')).rejects.toBeInstanceOf(WebhookUrlRefused);
    await expect(policy(true, true).resolve('not a url')).rejects.toBeInstanceOf(WebhookUrlRefused);
  });

  it('connects to the literal address it checked, and refuses credentials in the URL', async () => {
    await expect(policy(false, false).resolve('https://[2606:4700::1111]/h')).resolves.toMatchObject({
      address: '2606:4700::1111',
      family: 6,
    });
    await expect(policy(false, false).resolve('https://user:pw@93.184.215.14/h')).rejects.toThrow('credentials');
  });
});
