import { ApiProperty } from '@nestjs/swagger';

export const TOKEN_TYPE = 'tunetrail_api_key';
export const LABELS = ['true_positive', 'false_positive'] as const;
export type Label = (typeof LABELS)[number];

/** One match of GitHub's secret-scanning partner program. */
export class SecretReportDto {
  /** The text found: a TuneTrail API key, or something that looks like one. */
  @ApiProperty({ example: 'tt_AbCdEfGhIjKlMnOpQrStUvWxYz123456' })
  token: string;

  /** The pattern's token type. */
  @ApiProperty({ example: TOKEN_TYPE })
  type: string;

  /** Where it was found. */
  @ApiProperty({ example: 'https://github.com/octocat/hello/blob/abc/config.js', required: false })
  url?: string;

  /** What kind of place it was found in (`content`, `commit`, `pull_request_description`, ...). */
  @ApiProperty({ example: 'content', required: false })
  source?: string;
}

export class SecretReportLabelDto {
  /** The token as reported. */
  token_raw: string;

  /** The token type as reported. */
  @ApiProperty({ example: TOKEN_TYPE })
  token_type: string;

  /** `true_positive` for a key this service issued (active or not), else `false_positive`. */
  @ApiProperty({ enum: LABELS })
  label: Label;
}
