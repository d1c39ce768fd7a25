import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { Playlist } from './playlist.entity';
import { PlaylistsController } from './playlists.controller';
import { PlaylistsRepository } from './playlists.repository';
import { PlaylistsService } from './playlists.service';

/** Ordered playlists of each account's tracks (scopes read/write/delete:playlists). */
@Module({
  imports: [TypeOrmModule.forFeature([Playlist]), ApiKeysModule],
  controllers: [PlaylistsController],
  providers: [PlaylistsRepository, PlaylistsService],
})
export class PlaylistsModule {}
