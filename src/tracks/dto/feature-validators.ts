import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsNumber, IsOptional, Max, Min } from 'class-validator';

/** An optional, nullable, finite number within [min, max] (an audio feature). */
export const OptionalFeature = (min: number, max: number, example?: number): PropertyDecorator =>
  applyDecorators(
    ApiProperty({ type: Number, nullable: true, required: false, minimum: min, maximum: max, example }),
    IsOptional(),
    IsNumber({ allowNaN: false, allowInfinity: false }),
    Min(min),
    Max(max),
  );
