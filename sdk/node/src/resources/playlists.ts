import type { Page } from '../pagination.js';
import { path, Resource } from '../resource.js';
import type {
  AddPlaylistTracksParams,
  CreatePlaylistParams,
  ListPlaylistsParams,
  Playlist,
  PlaylistSummary,
  UpdatePlaylistParams,
} from '../types.js';

export class PlaylistsResource extends Resource {
  /** `GET /playlists` (read:playlists): the first page, newest first, without tracks; `for await` walks them all. */
  list(params: ListPlaylistsParams = {}): Promise<Page<PlaylistSummary>> {
    return this.client.list('/playlists', params);
  }

  /** `GET /playlists/{id}` (read:playlists): with its tracks in playlist order. */
  get(id: string): Promise<Playlist> {
    return this.client.get(path`/playlists/${id}`);
  }

  /** `POST /playlists` (write:playlists). */
  create(playlist: CreatePlaylistParams): Promise<Playlist> {
    return this.client.post('/playlists', playlist);
  }

  /** `PATCH /playlists/{id}` (write:playlists): name and/or description. */
  update(id: string, changes: UpdatePlaylistParams): Promise<Playlist> {
    return this.client.patch(path`/playlists/${id}`, changes);
  }

  /**
   * `POST /playlists/{id}/tracks` (write:playlists): inserts `track_ids` in order at `position`
   * (0-based, default the end). All or nothing: a duplicate is a ConflictError, a foreign track NotFoundError.
   */
  addTracks(id: string, params: AddPlaylistTracksParams): Promise<Playlist> {
    return this.client.post(path`/playlists/${id}/tracks`, params);
  }

  /** `DELETE /playlists/{id}/tracks/{track_id}` (write:playlists): the playlist without it. */
  removeTrack(id: string, trackId: string): Promise<Playlist> {
    return this.client.delete<Playlist>(path`/playlists/${id}/tracks/${trackId}`);
  }

  /** `DELETE /playlists/{id}` (delete:playlists); its tracks stay in the catalogue. */
  delete(id: string): Promise<void> {
    return this.client.delete(path`/playlists/${id}`);
  }
}
