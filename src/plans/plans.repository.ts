import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Plan } from './plan.entity';

/** Every query of the `plans` table. */
@Injectable()
export class PlansRepository {
  constructor(@InjectRepository(Plan) private readonly plans: Repository<Plan>) {}

  findAllCheapestFirst(): Promise<Plan[]> {
    return this.plans.find({ order: { sortOrder: 'ASC' } });
  }
}
