import { Injectable, UnauthorizedException } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import type { Request } from 'express';
import { Strategy } from 'passport-custom';
import { Repository } from 'typeorm';
import { ApiKey } from './api-key.entity';

const KEY_FORMAT = /^tt_[A-Za-z0-9]{32}$/;

/** The passport API-key strategy most tutorials show: hash the presented key, find it in the database. */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(Strategy, 'api-key') {
  constructor(@InjectRepository(ApiKey) private readonly apiKeys: Repository<ApiKey>) {
    super();
  }

  async validate(request: Request): Promise<ApiKey> {
    const [scheme, key] = (request.headers.authorization ?? '').split(' ');
    if (scheme !== 'Bearer' || !key) throw invalid('missing');
    if (!KEY_FORMAT.test(key)) throw invalid('malformed');
    const apiKey = await this.apiKeys.findOne({ where: { keyHash: createHash('sha256').update(key).digest('hex') } });
    if (!apiKey) throw invalid('unknown');
    if (apiKey.revokedAt) throw invalid('revoked');
    if (!apiKey.isActive) throw invalid('inactive');
    if (apiKey.expiresAt && apiKey.expiresAt.getTime() <= Date.now()) throw invalid('expired');
    return apiKey;
  }
}

function invalid(reason: string): UnauthorizedException {
  return new UnauthorizedException({ error: 'Invalid API key', reason });
}
