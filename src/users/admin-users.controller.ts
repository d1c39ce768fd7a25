import { Body, Controller, Get, Ip, Put, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from '../auth/authenticated.decorator';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { notFound } from '../common/errors/domain.exception';
import { UuidParam } from '../common/http/uuid-param.decorator';
import { PlansService } from '../plans/plans.service';
import { settingsOfFields } from '../rate-limit/rate-limit-fields';
import { AdminUserDto, ChangePlanDto, FindUserQueryDto } from './dto/admin-user.dto';
import type { User } from './user.entity';
import { UsersService } from './users.service';

/** Operator actions; every route needs the JWT of an `admin` user. */
@ApiTags('admin')
@Authenticated({ role: 'admin' })
@Controller('admin/users')
export class AdminUsersController {
  constructor(
    private readonly users: UsersService,
    private readonly plans: PlansService,
  ) {}

  /** The user with this email (emails are unique, so one user, or 404). */
  @Get()
  @ApiBadRequestResponse({ description: '`email` missing or not an email address' })
  @ApiNotFoundResponse({ description: 'No user has this email' })
  async findByEmail(@Query() query: FindUserQueryDto): Promise<AdminUserDto> {
    const user = await this.users.findByEmail(query.email);
    if (!user) throw notFound();
    return this.toDto(user);
  }

  /** Moves a user to a plan; custom limits only (and all three) on `enterprise`. */
  @Put(':id/plan')
  @ApiBadRequestResponse({
    description:
      'Malformed id, unknown plan, limits that are not positive integers, limits on a plan other than enterprise, or not all three on enterprise (`details` says which)',
  })
  @ApiNotFoundResponse({ description: 'No user has this id' })
  async changePlan(
    @UuidParam() id: string,
    @Body() body: ChangePlanDto,
    @CurrentUser() admin: AuthenticatedUser,
    @Ip() ip: string,
  ): Promise<AdminUserDto> {
    const user = await this.users.changePlan(id, body.plan, settingsOfFields(body), {
      actor: { type: 'admin', id: admin.id },
      ip,
    });
    return this.toDto(user);
  }

  private toDto(user: User): AdminUserDto {
    return AdminUserDto.fromUser(user, this.plans.limitsFor(user));
  }
}
