import { IsOptional, IsString, Length } from 'class-validator';
import { PaginationQueryDto } from '../../common/http/pagination-query.dto';

export class ListTracksQueryDto extends PaginationQueryDto {
  /** Case-insensitive search in title, artist and album. */
  @IsOptional()
  @IsString()
  @Length(1, 200)
  q?: string;
}
