import { IsString, MaxLength } from 'class-validator';

export class LoginDto {
  /** The email the account was registered with (any letter case). */
  @IsString()
  @MaxLength(254)
  email: string;

  @IsString()
  @MaxLength(1024)
  password: string;
}
