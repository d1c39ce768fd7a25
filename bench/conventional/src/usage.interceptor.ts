import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Request, Response } from 'express';
import { Observable } from 'rxjs';
import { Repository } from 'typeorm';
import type { ApiKey } from './api-key.entity';
import { UsageRecord } from './usage-record.entity';

/** Records one usage row per keyed request with its own INSERT once the response is sent. */
@Injectable()
export class UsageInterceptor implements NestInterceptor {
  constructor(@InjectRepository(UsageRecord) private readonly usage: Repository<UsageRecord>) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request & { user: ApiKey }>();
    const response = http.getResponse<Response>();
    const startedAt = performance.now();
    response.once('finish', () => {
      void this.usage.insert({
        apiKeyId: request.user.id,
        method: request.method,
        // Express types `route` as `any`; after routing it is the matched route.
        endpoint: (request.route as { path: string }).path,
        statusCode: response.statusCode,
        responseTimeMs: performance.now() - startedAt,
        ipAddress: request.ip ?? null,
      });
    });
    return next.handle();
  }
}
