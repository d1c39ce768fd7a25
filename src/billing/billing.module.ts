import { Module } from '@nestjs/common';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { PlansModule } from '../plans/plans.module';
import { UsageModule } from '../usage/usage.module';
import { BillingController } from './billing.controller';
import { BillingService } from './billing.service';

/** GET /billing and GET /billing/usage.csv (Pro+, scope admin:billing), computed from the usage rows. */
@Module({
  imports: [ApiKeysModule, PlansModule, UsageModule],
  controllers: [BillingController],
  providers: [BillingService],
})
export class BillingModule {}
