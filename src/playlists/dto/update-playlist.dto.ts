import { PartialType, PickType } from '@nestjs/swagger';
import { CreatePlaylistDto } from './create-playlist.dto';

/** Only the fields given change; `description: null` clears it. */
export class UpdatePlaylistDto extends PartialType(PickType(CreatePlaylistDto, ['name', 'description'] as const)) {}
