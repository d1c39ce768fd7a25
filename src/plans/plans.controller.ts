import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { PlanResponseDto } from './dto/plan-response.dto';
import { PlansService } from './plans.service';

@ApiTags('plans')
@Controller('plans')
export class PlansController {
  constructor(private readonly plans: PlansService) {}

  /** The plans, cheapest first, with their rate limits and scopes (public). */
  @Get()
  findAll(): PlanResponseDto[] {
    return this.plans.findAll().map((plan) => PlanResponseDto.from(plan));
  }
}
