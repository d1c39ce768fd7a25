import { ApiProperty } from '@nestjs/swagger';

export class AccessTokenDto {
  /** JWT for `Authorization: Bearer ...` on the dashboard routes. */
  access_token: string;

  @ApiProperty({ enum: ['Bearer'] })
  token_type: 'Bearer';

  /** Seconds until the token expires. */
  expires_in: number;
}
