import { IsOptional, IsString, Length } from 'class-validator';

export class TrainModelDto {
  /** A label for the model, 1–100 characters (`null` when absent). */
  @IsOptional()
  @IsString()
  @Length(1, 100)
  name?: string;
}
