import { PartialType } from '@nestjs/swagger';
import { CreateTrackDto } from './create-track.dto';

/** Only the fields given change; `null` clears an optional one. */
export class UpdateTrackDto extends PartialType(CreateTrackDto) {}
