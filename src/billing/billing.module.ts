import { Module } from '@nestjs/common';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { PlansModule } from '../plans/plans.module';
import { BillingController } from './billing.controller';
import { BillingRepository } from './billing.repository';
import { BillingService } from './billing.service';

/** GET /billing and GET /billing/usage.csv (Pro+, scope admin:billing), computed from the usage rows. */
@Module({
  imports: [ApiKeysModule, PlansModule],
  controllers: [BillingController],
  providers: [BillingRepository, BillingService],
})
export class BillingModule {}
