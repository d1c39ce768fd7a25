import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { toErrorResponse } from '../errors/error-response';

/** Every error leaving a Nest handler, guard or pipe becomes one of the contract's error bodies. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger(AllExceptionsFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    sendError(reply, exception, this.logger);
  }
}

/** While a store stays unreachable, one line per this interval (with the count), not one per request. */
export const OUTAGE_LOG_INTERVAL_MS = 30_000;

/** Logs the first 503 of an outage, then a summary at most every {@link OUTAGE_LOG_INTERVAL_MS}. */
class OutageLog {
  private lastLoggedAt = -Infinity;
  private suppressed = 0;

  note(exception: unknown, logger: Logger): void {
    const now = Date.now();
    if (now - this.lastLoggedAt < OUTAGE_LOG_INTERVAL_MS) {
      this.suppressed += 1;
      return;
    }
    const message = exception instanceof Error ? exception.message : String(exception);
    const more = this.suppressed > 0 ? ` (${this.suppressed} more 503s since the last line)` : '';
    logger.error(`Backing store unavailable, answering 503: ${message}${more}`);
    this.lastLoggedAt = now;
    this.suppressed = 0;
  }
}

const outages = new OutageLog();

export function sendError(reply: FastifyReply, exception: unknown, logger: Logger): void {
  const response = toErrorResponse(exception);
  if (response.outage) outages.note(exception, logger);
  if (response.unexpected) {
    logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
  }
  if (reply.sent) return;
  reply.headers(response.headers).status(response.status).send(response.body);
}
