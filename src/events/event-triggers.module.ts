import { Global, Module } from '@nestjs/common';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { ApiKeyExpiryScheduler } from './api-key-expiry.scheduler';
import { EventsModule } from './events.module';
import { UsageAlerts } from './usage-alerts';

/**
 * Events that no management request causes: key expiry (a scheduler) and usage alerts (raised by
 * the per-key rate-limit guard). Global so the guard, provided by the global rate-limit module,
 * can reach {@link UsageAlerts}.
 */
@Global()
@Module({
  imports: [EventsModule, ApiKeysModule],
  providers: [ApiKeyExpiryScheduler, UsageAlerts],
  exports: [UsageAlerts],
})
export class EventTriggersModule {}
