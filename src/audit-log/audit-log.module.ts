import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { AuditLogController } from './audit-log.controller';
import { AuditRetention } from './audit-retention';

/** GET /audit-log: the account's events, kept AUDIT_RETENTION_DAYS. */
@Module({
  imports: [EventsModule],
  controllers: [AuditLogController],
  providers: [AuditRetention],
})
export class AuditLogModule {}
