import { Module } from '@nestjs/common';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { RawBodyCapture } from './raw-body-capture';
import { ReportSignature } from './report-signature';
import { SecretScanningController } from './secret-scanning.controller';
import { SecretScanningService } from './secret-scanning.service';

/** POST /secret-scanning/reports: leaked keys reported by GitHub, revoked on every instance at once. */
@Module({
  imports: [ApiKeysModule],
  controllers: [SecretScanningController],
  providers: [RawBodyCapture, ReportSignature, SecretScanningService],
})
export class SecretScanningModule {}
