import { Injectable } from '@nestjs/common';
import ipaddr from 'ipaddr.js';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { AppConfig } from '../config/app-config';
import { InjectConfig } from '../config/config.module';

/** A URL that passed the rules, and the address it resolved to: the one to connect to. */
export interface WebhookTarget {
  url: URL;
  address: string;
  family: 4 | 6;
}

/** Why a URL is refused (the message is shown to the user). */
export class WebhookUrlRefused extends Error {}

/**
 * The contract's URL rules: `https://` (or `http://` with WEBHOOK_ALLOW_HTTP), and, unless
 * WEBHOOK_ALLOW_PRIVATE_URLS, a host whose every address is public unicast (ipaddr.js classifies
 * loopback, private, link-local, CGNAT, multicast, unspecified and the other special ranges).
 */
@Injectable()
export class WebhookUrlPolicy {
  constructor(@InjectConfig() private readonly config: AppConfig) {}

  async resolve(raw: string): Promise<WebhookTarget> {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new WebhookUrlRefused('url must be an absolute URL');
    }
    const schemes = this.config.webhookAllowHttp ? ['https:', 'http:'] : ['https:'];
    if (!schemes.includes(url.protocol)) {
      throw new WebhookUrlRefused(
        this.config.webhookAllowHttp ? 'url must start with https:// or http://' : 'url must start with https://',
      );
    }
    if (url.username || url.password) throw new WebhookUrlRefused('url must not contain credentials');
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    let addresses: { address: string; family: number }[];
    if (isIP(host)) {
      addresses = [{ address: host, family: isIP(host) }];
    } else {
      try {
        addresses = await lookup(host, { all: true, verbatim: true });
      } catch {
        throw new WebhookUrlRefused(`url host ${host} could not be resolved`);
      }
    }
    if (addresses.length === 0) throw new WebhookUrlRefused(`url host ${host} could not be resolved`);
    if (!this.config.webhookAllowPrivateUrls) {
      const blocked = addresses.find(({ address }) => ipaddr.process(address).range() !== 'unicast');
      if (blocked) {
        throw new WebhookUrlRefused(
          `url host ${host} is or resolves to a non-public address (${ipaddr.process(blocked.address).range()})`,
        );
      }
    }
    const [first] = addresses;
    return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
  }
}
