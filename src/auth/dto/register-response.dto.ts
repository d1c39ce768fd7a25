import { UserResponseDto } from '../../users/dto/user-response.dto';
import { AccessTokenDto } from './access-token.dto';

export class RegisterResponseDto extends AccessTokenDto {
  /** The new account. */
  user: UserResponseDto;
}
