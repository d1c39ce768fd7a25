import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { InjectConfig } from '../config/config.module';
import { UsersService } from '../users/users.service';
import { PasswordHasher } from './password-hasher';

/** With ADMIN_EMAIL and ADMIN_PASSWORD set, makes sure that account exists, is an admin and has that password. */
@Injectable()
export class AdminBootstrapService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AdminBootstrapService.name);

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    private readonly users: UsersService,
    private readonly passwords: PasswordHasher,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { adminEmail, adminPassword } = this.config;
    if (!adminEmail || !adminPassword) return;
    const admin = await this.users.upsertAdmin(adminEmail, await this.passwords.hash(adminPassword));
    this.logger.log(`Admin account ready: ${admin.email}`);
  }
}
