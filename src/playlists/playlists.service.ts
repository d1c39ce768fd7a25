import { Injectable } from '@nestjs/common';
import { DomainException, notFound, validationFailed } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-code.enum';
import type { Track } from '../tracks/track.entity';
import { PLAYLIST_MAX_TRACKS, CreatePlaylistDto } from './dto/create-playlist.dto';
import type { UpdatePlaylistDto } from './dto/update-playlist.dto';
import type { CountedPlaylist } from './playlist.entity';
import { LockedPlaylist, PlaylistsRepository } from './playlists.repository';

export interface PlaylistWithTracks {
  counted: CountedPlaylist;
  tracks: Track[];
}

/** Each account's playlists: ordered, each track at most once, at most {@link PLAYLIST_MAX_TRACKS}. */
@Injectable()
export class PlaylistsService {
  constructor(private readonly playlists: PlaylistsRepository) {}

  list(userId: string, limit: number, offset: number): Promise<{ data: CountedPlaylist[]; total: number }> {
    return this.playlists.list(userId, limit, offset);
  }

  async get(userId: string, playlistId: string): Promise<PlaylistWithTracks> {
    const counted = await this.playlists.find(userId, playlistId);
    if (!counted) throw notFound();
    return { counted, tracks: await this.playlists.tracksOf(playlistId) };
  }

  async create(userId: string, dto: CreatePlaylistDto): Promise<PlaylistWithTracks> {
    const created = await this.playlists.withLockedPlaylist(
      userId,
      { create: { name: dto.name, description: dto.description ?? null } },
      async (locked) => {
        if (dto.track_ids?.length) await this.insert(locked, dto.track_ids, undefined);
        return locked.playlist.id;
      },
    );
    return this.get(userId, created!);
  }

  async update(userId: string, playlistId: string, dto: UpdatePlaylistDto): Promise<PlaylistWithTracks> {
    if (dto.name === null) throw validationFailed([{ field: 'name', message: 'name must not be null' }]);
    const changes = Object.fromEntries(
      Object.entries({ name: dto.name, description: dto.description }).filter(([, value]) => value !== undefined),
    );
    const found =
      Object.keys(changes).length > 0
        ? await this.playlists.update(userId, playlistId, changes)
        : (await this.playlists.find(userId, playlistId)) !== null;
    if (!found) throw notFound();
    return this.get(userId, playlistId);
  }

  async addTracks(
    userId: string,
    playlistId: string,
    trackIds: string[],
    position: number | undefined,
  ): Promise<PlaylistWithTracks> {
    const done = await this.playlists.withLockedPlaylist(userId, { playlistId }, async (locked) => {
      await this.insert(locked, trackIds, position);
      return true;
    });
    if (!done) throw notFound();
    return this.get(userId, playlistId);
  }

  async removeTrack(userId: string, playlistId: string, trackId: string): Promise<PlaylistWithTracks> {
    const removed = await this.playlists.withLockedPlaylist(userId, { playlistId }, (locked) => locked.remove(trackId));
    if (!removed) throw notFound();
    return this.get(userId, playlistId);
  }

  async remove(userId: string, playlistId: string): Promise<void> {
    if (!(await this.playlists.delete(userId, playlistId))) throw notFound();
  }

  /**
   * All or nothing, checked under the playlist's lock: an unknown or foreign track is 404, one
   * already there (or given twice) 409, going past the limit 400. A position past the end appends.
   */
  private async insert(locked: LockedPlaylist, trackIds: string[], position: number | undefined): Promise<void> {
    const owned = await locked.ownedTrackIds(trackIds);
    if (trackIds.some((id) => !owned.has(id))) throw notFound();
    const present = await locked.presentTrackIds(trackIds);
    if (present.size > 0 || new Set(trackIds).size !== trackIds.length) {
      throw new DomainException(ErrorCode.TrackAlreadyInPlaylist);
    }
    const count = await locked.trackCount();
    if (count + trackIds.length > PLAYLIST_MAX_TRACKS) {
      throw validationFailed([
        {
          field: 'track_ids',
          message: `a playlist holds at most ${PLAYLIST_MAX_TRACKS} tracks (it has ${count}, ${trackIds.length} more given)`,
        },
      ]);
    }
    await locked.insertAt(trackIds, Math.min(position ?? count, count));
  }
}
