import { IsEmail, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export class RegisterDto {
  /** Login name; stored lower-cased and unique. */
  @IsEmail()
  @MaxLength(254)
  email: string;

  /** At least 10 characters. */
  @IsString()
  @MinLength(10)
  @MaxLength(1024)
  password: string;

  /** Display name. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;
}
